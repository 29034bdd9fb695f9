package dev.robustsweep.cli;

import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.store.RunLock;
import dev.robustsweep.engine.store.RunStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code robustsweep resume runs/<sweep>}: run exactly the trials without a completed or diverged result. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = {
        "Runs the trials of a run folder that have no completed or diverged result.json (never one that has).",
        "Failed trials (out of retries) are rerun only with --retry-failed."})
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder, e.g. runs/quickstart")
    Path dir;

    @Option(names = "--retry-failed", description = "also rerun failed trials, with a fresh retry budget")
    boolean retryFailed;

    @Mixin
    ExecutionOptions executionOptions;

    @Override
    public Integer call() throws Exception {
        RunStore store = RunStore.open(dir);
        ExecutionSettings stored;
        try {
            stored = ExecutionSettings.fromStored(store.sweepInfo().get("execution"));
        } catch (IllegalArgumentException e) {
            throw new RunStore.NotARunFolderException(dir.resolve(RunStore.SWEEP) + ": damaged: " + e.getMessage());
        }
        ExecutionSettings exec = executionOptions.checkDevices(executionOptions.apply(stored));
        try (RunLock lock = RunLock.acquire(dir)) {
            return SweepSession.run(store, lock, exec, retryFailed, System.out);
        }
    }
}
