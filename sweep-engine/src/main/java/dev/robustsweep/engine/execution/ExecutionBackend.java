package dev.robustsweep.engine.execution;

import java.io.IOException;
import java.time.Duration;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.List;
import java.util.Map;

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

    /** How many attempts actually run at once (for the ETA); by default {@link #capacity()}. */
    default int parallelism() {
        return capacity();
    }

    /**
     * Attempts of {@code unfinished} trials that an earlier engine session started and that still
     * belong to this backend (Slurm jobs keep running when the engine dies). Returns trial id ->
     * attempt number for each one the backend now follows: the engine does not start these again,
     * and each produces one {@link TrialEvent.Finished} like a submitted attempt. Default: none.
     */
    default Map<String, Integer> reattach(List<TrialConfig> unfinished) throws IOException {
        return Map.of();
    }

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
