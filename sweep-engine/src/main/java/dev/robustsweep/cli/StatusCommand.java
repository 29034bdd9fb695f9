package dev.robustsweep.cli;

import dev.robustsweep.engine.store.RunLock;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.engine.store.TrialState;
import dev.robustsweep.engine.store.TrialStatus;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code robustsweep status runs/<sweep>}: counts by state, per task and method, and failures with reasons. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a run folder's trials by state (from their files), per task and method, and every failure with its reason.")
final class StatusCommand implements Callable<Integer> {
    private static final List<TrialStatus> ORDER = List.of(TrialStatus.COMPLETED, TrialStatus.DIVERGED, TrialStatus.FAILED, TrialStatus.RUNNING, TrialStatus.PENDING);

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Override
    public Integer call() {
        RunStore store = RunStore.open(dir);
        long owner = RunLock.liveOwnerPid(dir);
        Map<String, TrialState> states = store.states(store.maxRetries(), owner >= 0);
        print(store, states, owner, System.out);
        return ExitCodes.OK;
    }

    static void print(RunStore store, Map<String, TrialState> states, long owner, PrintStream out) {
        out.println("sweep " + store.name() + " (" + store.dir() + "): " + states.size() + " trials, "
                + (owner >= 0 ? "engine running (pid " + owner + ")" : "no engine running"));
        Map<TrialStatus, Integer> totals = new EnumMap<>(TrialStatus.class);
        Map<String, Map<TrialStatus, Integer>> groups = new LinkedHashMap<>();
        for (TrialConfig t : store.trials()) {
            TrialState s = states.get(t.trialId);
            totals.merge(s.status(), 1, Integer::sum);
            groups.computeIfAbsent(t.task.name + "  " + t.displayMethod(), k -> new EnumMap<>(TrialStatus.class)).merge(s.status(), 1, Integer::sum);
        }
        StringBuilder line = new StringBuilder();
        for (TrialStatus s : ORDER) line.append(String.format(Locale.ROOT, "%s %d  ", s.label(), totals.getOrDefault(s, 0)));
        out.println(line.toString().strip());
        int width = Math.max(20, groups.keySet().stream().mapToInt(String::length).max().orElse(20) + 2);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "task  method"));
        for (TrialStatus s : ORDER) header.append(String.format(Locale.ROOT, "%11s", s.label()));
        out.println(header);
        for (Map.Entry<String, Map<TrialStatus, Integer>> g : groups.entrySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", g.getKey()));
            for (TrialStatus s : ORDER) row.append(String.format(Locale.ROOT, "%11d", g.getValue().getOrDefault(s, 0)));
            out.println(row);
        }
        List<TrialState> running = states.values().stream().filter(s -> s.status() == TrialStatus.RUNNING).toList();
        if (!running.isEmpty()) {
            out.println("running:");
            for (TrialState s : running) out.println("  " + s.trialId() + " (attempt " + s.attempts() + ")");
        }
        List<TrialState> failed = states.values().stream().filter(s -> s.status() == TrialStatus.FAILED).toList();
        if (!failed.isEmpty()) {
            out.println("failed (rerun with: robustsweep resume --retry-failed " + store.dir() + "):");
            for (TrialState s : failed) out.println("  " + s.trialId() + ": " + s.lastFailure() + " (" + s.failures() + " failed attempts)");
        }
        List<TrialState> invalid = states.values().stream().filter(s -> s.invalidResult() != null).toList();
        if (!invalid.isEmpty()) {
            out.println("invalid result files, not counted as done (resume runs these trials again and keeps each file as result.invalid-N.json):");
            for (TrialState s : invalid) out.println("  " + s.invalidResult());
        }
        List<TrialState> retrying = states.values().stream().filter(s -> s.status() == TrialStatus.PENDING && s.failures() > 0).toList();
        if (!retrying.isEmpty()) {
            out.println("failed attempts, retries left:");
            for (TrialState s : retrying) out.println("  " + s.trialId() + ": " + s.lastFailure() + " (" + s.failures() + " failed attempts)");
        }
    }
}
