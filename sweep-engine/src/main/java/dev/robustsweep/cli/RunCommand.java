package dev.robustsweep.cli;

import dev.robustsweep.engine.execution.DurationText;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.run.DurationEstimate;
import dev.robustsweep.engine.store.RunLock;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code robustsweep run GRID}: check the grid, create runs/&lt;sweep&gt;/, run every trial, print the robustness table. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Checks a grid file (every problem reported with file, line and key; exit 2), creates runs/<sweep>/ and runs the sweep.",
        "Running it again on the same grid continues the existing run folder (same trial ids); see also resume."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "GRID", description = "grid file (.yaml, .yml or .json)")
    Path grid;

    @Option(names = "--dry-run", description = "check the grid and print the trial count per task and method and an estimated duration; run nothing")
    boolean dryRun;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs", description = "parent of run folders (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--retry-failed", description = "when continuing an existing run folder, also rerun trials that failed")
    boolean retryFailed;

    @Mixin
    ExecutionOptions executionOptions;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ValidatedGrid v = GridValidator.check(GridFile.read(grid));
        ExecutionSettings exec = executionOptions.checkDevices(executionOptions.apply(v.grid().execution()));
        if (dryRun) {
            printDryRun(v, exec, out, runsDir.resolve(v.grid().name()));
            return ExitCodes.OK;
        }
        Path dir = runsDir.resolve(v.grid().name());
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileSystemException e) {
            throw new IllegalArgumentException("--runs-dir " + runsDir + ": cannot create the run folder " + dir + ": "
                    + (e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way" : e.getReason() != null ? e.getReason() : e.getMessage()));
        }
        try (RunLock lock = RunLock.acquire(dir)) {
            RunStore store;
            if (RunStore.exists(dir)) {
                store = RunStore.open(dir);
                Set<String> existing = new HashSet<>();
                store.trials().forEach(t -> existing.add(t.trialId));
                Set<String> now = new HashSet<>();
                v.trials().forEach(t -> now.add(t.trialId));
                if (!existing.equals(now)) {
                    long added = now.stream().filter(id -> !existing.contains(id)).count();
                    long gone = existing.stream().filter(id -> !now.contains(id)).count();
                    System.err.println("robustsweep: " + dir + " already holds sweep '" + v.grid().name() + "' with different trials (" + added
                            + " new, " + gone + " no longer in the grid); continue it with 'robustsweep resume " + dir
                            + "', or give the grid another name or use --runs-dir");
                    return ExitCodes.INVALID;
                }
                out.println("continuing " + dir + " (same " + now.size() + " trials)");
            } else {
                store = RunStore.create(dir, v.grid().name(), grid, v.grid().source().bytes(), v.trials(), exec);
            }
            return SweepSession.run(store, lock, exec, retryFailed, out);
        }
    }

    static void printDryRun(ValidatedGrid v, ExecutionSettings exec, PrintStream out, Path dir) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (TrialConfig t : v.trials()) counts.computeIfAbsent(t.task.name, k -> new LinkedHashMap<>()).merge(t.displayMethod(), 1, Integer::sum);
        List<String> methods = v.grid().methods().stream().map(m -> m.name()).toList();
        out.println("grid " + v.grid().source().file() + ": sweep '" + v.grid().name() + "', " + v.trials().size() + " trials");
        int tw = Math.max(6, counts.keySet().stream().mapToInt(String::length).max().orElse(4) + 2);
        int mw = Math.max(8, methods.stream().mapToInt(String::length).max().orElse(6) + 2);
        out.println(String.format(Locale.ROOT, "%-" + tw + "s%-" + mw + "s%8s", "task", "method", "trials"));
        for (Map.Entry<String, Map<String, Integer>> e : counts.entrySet()) {
            for (String m : methods) {
                out.println(String.format(Locale.ROOT, "%-" + tw + "s%-" + mw + "s%8d", e.getKey(), m, e.getValue().getOrDefault(m, 0)));
            }
        }
        out.println(String.format(Locale.ROOT, "%-" + (tw + mw) + "s%8d", "total", v.trials().size()));
        String slots = exec.gpu() ? exec.slots() + " GPU slot(s)" : exec.slots() + " CPU worker(s) x " + exec.effectiveThreads() + " thread(s)";
        DurationEstimate.Calibration cal = DurationEstimate.calibrate(dir, v, exec);
        if (cal.done().isEmpty()) {
            double seconds = DurationEstimate.sweepSeconds(v, exec);
            out.println("estimated duration: " + DurationText.format(Duration.ofMillis((long) (seconds * 1000))) + " on " + slots
                    + " (a FLOP count at the throughput measured on a quiet 2-core machine, see docs/engine.md)");
        } else {
            double all = DurationEstimate.sweepSeconds(v, exec, cal.factor(), Set.of());
            double left = DurationEstimate.sweepSeconds(v, exec, cal.factor(), cal.done());
            out.println("estimated duration: " + DurationText.format(Duration.ofMillis((long) (all * 1000))) + " on " + slots
                    + ", " + DurationText.format(Duration.ofMillis((long) (left * 1000))) + " for the " + (v.trials().size() - cal.done().size())
                    + " trials without a result");
            out.println(String.format(Locale.ROOT, "  calibrated on this machine: %d finished trials in %s took %.2fx the built-in estimate (median)",
                    cal.timed(), dir, cal.factor()));
        }
        out.println("run folder: " + dir + (RunStore.exists(dir) ? " (exists: run continues it; nothing was written)" : " (nothing was written)"));
    }
}
