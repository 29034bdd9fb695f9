package dev.robustsweep.engine.slurm;

import java.nio.file.Path;
import java.util.List;

/**
 * A written array job: the batch script and its task list in {@code runDir/slurm/}. Array task i
 * runs the trial in {@code trialDirs.get(i)}. Submit it from {@code runDir} (the log paths are relative).
 */
public record BatchScript(Path runDir, Path script, Path taskList, String jobName, List<Path> trialDirs) {
    public BatchScript {
        trialDirs = List.copyOf(trialDirs);
    }

    public int taskCount() {
        return trialDirs.size();
    }
}
