package dev.robustsweep.engine.slurm;

import java.util.List;

/** A user's mistake in the Slurm settings of a grid: every problem names its key, what was expected and what was found. */
public final class InvalidSlurmSettingsException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidSlurmSettingsException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, e.g. {@code execution.slurm.partition: expected ..., found "gpu;rm"}. */
    public List<String> problems() {
        return problems;
    }
}
