package dev.robustsweep.engine.execution;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Where trial attempts run. The engine ({@code dev.robustsweep.engine.run.SweepRunner}) decides
 * what to run, retries and records outcomes; a backend only starts attempts, reports their progress
 * and end, and stops them. Implementations: {@link LocalBackend} (worker processes on this machine),
 * and the Slurm backend in {@code dev.robustsweep.engine.slurm}.
 *
 * <p>Contract: every submitted attempt produces exactly one {@link TrialEvent.Finished} (after
 * {@link #cancel} too), unless the backend is closed first. The worker writes result.json into
 * the launch's trial folder and appends its output to the trial's worker.log; scheduler states are
 * hints, the result file is the truth.
 */
public interface ExecutionBackend extends AutoCloseable {
    /** Attempts this backend runs at once; the engine never has more submitted. */
    int capacity();

    /** A short description for the sweep's header ("local: 2 CPU workers x 1 thread"). */
    String describe();

    /** Starts an attempt (trial.json is already written). */
    void submit(TrialLaunch launch) throws IOException;

    /** Waits at most {@code wait} for events and returns those that happened (possibly none). */
    List<TrialEvent> poll(Duration wait) throws InterruptedException;

    /** Stops an attempt; its Finished event follows from {@link #poll}. */
    void cancel(String trialId);

    /** Stops every attempt still running, without events (the engine is shutting down). */
    @Override
    void close();
}
