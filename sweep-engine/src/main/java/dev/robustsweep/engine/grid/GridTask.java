package dev.robustsweep.engine.grid;

import dev.robustsweep.trainers.trial.TaskSpec;

/** A task of the grid as the trial file will carry it (paths resolved), and where it was written. */
public record GridTask(TaskSpec spec, String path) {
    public String name() {
        return spec.name;
    }
}
