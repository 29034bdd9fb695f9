package dev.robustsweep.engine.execution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process a worker runs for one attempt: by default {@code robustsweep train --trial F --out DIR}
 * in a fresh JVM built from the running one (same java binary, same class path), offline
 * (-Dai.djl.offline=true) on the bundled CPU libtorch unless PYTORCH_VERSION/PYTORCH_FLAVOR are set.
 * The worker watches its stdin and stops when the engine that started it is gone
 * ({@code ROBUSTSWEEP_WATCH_STDIN=1}, see {@code dev.robustsweep.cli.ParentWatch}).
 */
public final class WorkerCommand {
    public static final String MAIN_CLASS = "dev.robustsweep.cli.RobustSweep";
    public static final String WATCH_STDIN = "ROBUSTSWEEP_WATCH_STDIN";
    public static final String COMMAND_PROPERTY = "robustsweep.worker.command";

    private final List<String> prefix;
    private final Map<String, String> environment;

    /** {@code prefix} is followed by {@code --trial FILE --out DIR}. */
    public WorkerCommand(List<String> prefix, Map<String, String> environment) {
        this.prefix = List.copyOf(prefix);
        this.environment = Map.copyOf(environment);
    }

    /**
     * The train command of this installation, run in a new JVM with {@code javaOpts}; or, when the
     * system property {@value #COMMAND_PROPERTY} is set, that command (whitespace-separated, e.g. a
     * wrapper script), which receives the same {@code --trial FILE --out DIR} arguments.
     */
    public static WorkerCommand javaTrain(List<String> javaOpts) {
        String custom = System.getProperty(COMMAND_PROPERTY);
        List<String> cmd = new ArrayList<>();
        if (custom != null && !custom.isBlank()) {
            cmd.addAll(List.of(custom.trim().split("\\s+")));
            return new WorkerCommand(cmd, Map.of(WATCH_STDIN, "1"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dfile.encoding=UTF-8"); // data and result files are UTF-8 whatever the locale
        String home = System.getProperty("robustsweep.home");
        if (home != null) cmd.add("-Drobustsweep.home=" + home);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN_CLASS);
        cmd.add("train");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTORCH_VERSION", System.getenv().getOrDefault("PYTORCH_VERSION", "2.7.1"));
        env.put("PYTORCH_FLAVOR", System.getenv().getOrDefault("PYTORCH_FLAVOR", "cpu"));
        env.put(WATCH_STDIN, "1");
        return new WorkerCommand(cmd, env);
    }

    /** The argv before {@code --trial FILE --out DIR}. */
    public List<String> prefix() {
        return prefix;
    }

    public List<String> command(TrialLaunch launch) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("--trial");
        cmd.add(launch.trialFile().toString());
        cmd.add("--out");
        cmd.add(launch.trialDir().toString());
        return cmd;
    }

    public Map<String, String> environment() {
        return environment;
    }
}
