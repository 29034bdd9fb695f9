package dev.robustsweep.engine.execution;

import dev.robustsweep.trainers.trial.TrialConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One attempt of one trial, as the engine hands it to a backend: the trial (its trial.json is
 * already written in {@code trialDir}), the attempt number (1-based), and the per-attempt timeout.
 * The worker writes {@code trialDir/result.json}; its output is appended to {@code trialDir/worker.log}.
 */
public record TrialLaunch(TrialConfig trial, Path trialDir, Path trialFile, int attempt, Duration timeout) {
    public String trialId() {
        return trial.trialId;
    }

    public Path log() {
        return trialDir.resolve("worker.log");
    }
}
