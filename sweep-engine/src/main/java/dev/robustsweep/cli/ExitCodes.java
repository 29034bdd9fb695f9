package dev.robustsweep.cli;

/** Exit codes of run, resume, status and cancel. */
public final class ExitCodes {
    /** Every trial has a completed or diverged result (or: the command did what it was asked). */
    public static final int OK = 0;
    /** The sweep ended with failed trials (listed; rerun them with resume --retry-failed). */
    public static final int FAILED_TRIALS = 1;
    /** A grid file, run folder or option is invalid; nothing was run or changed. */
    public static final int INVALID = 2;
    /** Another live engine holds the run folder. */
    public static final int LOCKED = 3;
    /**
     * Interrupted; resume continues where it stopped. (Ended by a signal, the JVM's own status is
     * what the shell sees: 130 for Ctrl-C, 143 for SIGTERM and cancel.)
     */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
