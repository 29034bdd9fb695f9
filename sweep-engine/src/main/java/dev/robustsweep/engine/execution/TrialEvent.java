package dev.robustsweep.engine.execution;

/** What a backend reports about the attempts it runs. */
public sealed interface TrialEvent {
    String trialId();

    /** The attempt's worker started ({@code worker} is a pid, a Slurm job id, ...). */
    record Started(String trialId, int attempt, String slot, String worker) implements TrialEvent {}

    /** A progress line from the worker. */
    record Progress(String trialId, WorkerProgress progress) implements TrialEvent {}

    /**
     * The attempt is over. The engine then reads result.json, the only truth for "done"; the rest
     * explains a missing result: the exit code (null when unknown), whether the timeout fired, a
     * short reason ("killed by SIGKILL", "timed out after 30s") and the worker's last output line.
     */
    record Finished(String trialId, int attempt, Integer exitCode, boolean timedOut, String reason, String lastOutput,
                    double seconds, String slot) implements TrialEvent {}
}
