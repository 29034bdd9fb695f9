package dev.robustsweep.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@code robustsweep ...} as a separate JVM (the engine), with the test class path, as the launcher script would. */
public final class EngineProcess {
    private EngineProcess() {}

    public static ProcessBuilder builder(Path output, Map<String, String> env, List<String> prefix, List<String> sysProps, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Dai.djl.offline=true");
        cmd.addAll(sysProps);
        String worker = System.getProperty("robustsweep.worker.command");
        if (worker != null) cmd.add("-Drobustsweep.worker.command=" + worker);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.robustsweep.cli.RobustSweep");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("PYTORCH_VERSION", "2.7.1");
        pb.environment().putIfAbsent("PYTORCH_FLAVOR", "cpu");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        return pb;
    }

    public static Process start(Path output, Map<String, String> env, String... args) throws IOException {
        return builder(output, env, List.of(), List.of(), args).start();
    }
}
