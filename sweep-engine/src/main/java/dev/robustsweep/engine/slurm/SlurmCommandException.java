package dev.robustsweep.engine.slurm;

import java.util.List;

/** A Slurm command that could not run, timed out or failed; carries the command line, exit status and stderr. */
public final class SlurmCommandException extends RuntimeException {
    private final List<String> command;
    private final int exitStatus;
    private final String stderr;

    public SlurmCommandException(List<String> command, int exitStatus, String stderr, String message) {
        super(String.join(" ", command) + ": " + message + (stderr == null || stderr.isBlank() ? "" : ": " + stderr.strip()));
        this.command = List.copyOf(command);
        this.exitStatus = exitStatus;
        this.stderr = stderr == null ? "" : stderr;
    }

    public List<String> command() {
        return command;
    }

    /** The exit status, or -1 when the command did not start or timed out. */
    public int exitStatus() {
        return exitStatus;
    }

    public String stderr() {
        return stderr;
    }
}
