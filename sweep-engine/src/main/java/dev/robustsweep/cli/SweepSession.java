package dev.robustsweep.cli;

import dev.robustsweep.engine.execution.BackendProvider;
import dev.robustsweep.engine.execution.ExecutionBackend;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.execution.WorkerCommand;
import dev.robustsweep.engine.run.ProgressPrinter;
import dev.robustsweep.engine.run.SweepOutcome;
import dev.robustsweep.engine.run.SweepRunner;
import dev.robustsweep.engine.store.RunLock;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.engine.store.TrialState;
import dev.robustsweep.engine.store.TrialStatus;
import dev.robustsweep.reports.Report;
import dev.robustsweep.reports.ReportInputException;
import dev.robustsweep.reports.ReportOptions;
import java.io.PrintStream;
import java.time.Duration;

/**
 * One engine session on a locked run folder (shared by run and resume): builds the backend, runs
 * the unfinished trials, stops cleanly on Ctrl-C / SIGTERM (workers killed, lock released; resume
 * continues), then writes the report under runs/&lt;sweep&gt;/report/ and prints it with every failure.
 */
final class SweepSession {
    private SweepSession() {}

    static int run(RunStore store, RunLock lock, ExecutionSettings exec, boolean retryFailed, PrintStream out) throws Exception {
        WorkerCommand command = WorkerCommand.javaTrain(exec.javaOpts());
        ExecutionBackend backend;
        try {
            backend = BackendProvider.forSettings(exec, store.dir(), command);
        } catch (IllegalArgumentException e) {
            System.err.println("robustsweep: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        ProgressPrinter printer = new ProgressPrinter(out, ProgressPrinter.stdoutIsTerminal(), backend.parallelism(), Duration.ofSeconds(30));
        SweepRunner runner = new SweepRunner(store, exec, backend, printer);
        Thread hook = new Thread(() -> {
            runner.stop();
            backend.close();
            try {
                lock.close();
            } catch (Exception ignored) {
                // the OS releases it when the process exits anyway
            }
        }, "robustsweep-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SweepOutcome outcome;
        try {
            outcome = runner.run(retryFailed);
        } finally {
            backend.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return ExitCodes.INTERRUPTED;
        }
        if (outcome.interrupted()) {
            out.println("interrupted; continue with: robustsweep resume " + store.dir());
            return ExitCodes.INTERRUPTED;
        }
        out.println();
        try {
            // robustness statistics, Wilcoxon tests, tables and plots under runs/<sweep>/report/
            out.print(Report.generate(store.dir(), ReportOptions.defaults()));
        } catch (ReportInputException e) {
            out.println("report: not written: " + e.getMessage());
        }
        if (!outcome.failures().isEmpty()) {
            out.println();
            out.println(outcome.failures().size() + " failed trial" + (outcome.failures().size() == 1 ? "" : "s") + " (rerun with: robustsweep resume --retry-failed " + store.dir() + "):");
            for (TrialState s : outcome.failures()) out.println("  " + s.trialId() + ": " + s.lastFailure() + " (" + s.failures() + " attempts)");
        }
        long pending = outcome.count(TrialStatus.PENDING);
        return outcome.failures().isEmpty() && pending == 0 ? ExitCodes.OK : ExitCodes.FAILED_TRIALS;
    }
}
