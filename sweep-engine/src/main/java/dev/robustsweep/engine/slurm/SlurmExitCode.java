package dev.robustsweep.engine.slurm;

/**
 * A task's exit as Slurm reports it, {@code ExitCode=code:signal} (scontrol, sacct): the batch
 * script's exit status, and the signal that ended it (0 if none), e.g. {@code 0:15} after scancel.
 */
public record SlurmExitCode(int code, int signal) {

    /** Parses "code:signal" (or a bare "code"); null for blank or unparsable text. */
    public static SlurmExitCode parse(String text) {
        if (text == null || text.isBlank()) return null;
        String[] parts = text.trim().split(":");
        try {
            int code = Integer.parseInt(parts[0]);
            int signal = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return new SlurmExitCode(code, signal);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return code + ":" + signal;
    }
}
