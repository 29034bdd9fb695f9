package dev.robustsweep.engine.slurm;

import java.util.Locale;

/**
 * A Slurm job (or array task) state as printed by squeue {@code %T}, scontrol {@code JobState=} and
 * sacct {@code State}. Only a final state means the task will not run again; PREEMPTED and REQUEUED
 * are not final (the job returns to PENDING when requeued). Scheduler state is a hint: the trial's
 * result.json decides whether the trial is done.
 */
public enum SlurmJobState {
    PENDING(false), CONFIGURING(false), RUNNING(false), COMPLETING(false), SUSPENDED(false),
    RESIZING(false), SIGNALING(false), STAGE_OUT(false), STOPPED(false),
    /** preempted; with PreemptMode=REQUEUE it comes back as REQUEUED, then PENDING */
    PREEMPTED(false),
    REQUEUED(false), REQUEUE_FED(false), REQUEUE_HOLD(false), SPECIAL_EXIT(false), RESV_DEL_HOLD(false),
    COMPLETED(true), FAILED(true), CANCELLED(true), TIMEOUT(true), NODE_FAIL(true), OUT_OF_MEMORY(true),
    BOOT_FAIL(true), DEADLINE(true), REVOKED(true),
    /** a state this version does not know; not final, so the backend keeps waiting for the result file */
    UNKNOWN(false);

    private final boolean isFinal;

    SlurmJobState(boolean isFinal) {
        this.isFinal = isFinal;
    }

    /** True when the task has ended and will not run again without a new submission. */
    public boolean isFinal() {
        return isFinal;
    }

    /**
     * Parses a state: long names ("CANCELLED", "OUT_OF_MEMORY"), sacct's "CANCELLED by 1000" and
     * truncated "CANCELLED+", and squeue's short codes ("PD", "R", "CA", "TO", "OOM"...).
     */
    public static SlurmJobState parse(String text) {
        if (text == null) return UNKNOWN;
        String t = text.trim().toUpperCase(Locale.ROOT);
        int space = t.indexOf(' ');
        if (space > 0) t = t.substring(0, space);
        if (t.endsWith("+")) t = t.substring(0, t.length() - 1);
        switch (t) {
            case "PD": return PENDING;
            case "CF": return CONFIGURING;
            case "R": return RUNNING;
            case "CG": return COMPLETING;
            case "S": return SUSPENDED;
            case "RS": return RESIZING;
            case "SI": return SIGNALING;
            case "SO": return STAGE_OUT;
            case "ST": return STOPPED;
            case "PR": return PREEMPTED;
            case "RQ": return REQUEUED;
            case "RF": return REQUEUE_FED;
            case "RH": return REQUEUE_HOLD;
            case "SE": return SPECIAL_EXIT;
            case "RD": return RESV_DEL_HOLD;
            case "CD": return COMPLETED;
            case "F": return FAILED;
            case "CA": return CANCELLED;
            case "TO": return TIMEOUT;
            case "NF": return NODE_FAIL;
            case "OOM": return OUT_OF_MEMORY;
            case "BF": return BOOT_FAIL;
            case "DL": return DEADLINE;
            case "RV": return REVOKED;
            default:
                try {
                    return valueOf(t);
                } catch (IllegalArgumentException e) {
                    return UNKNOWN;
                }
        }
    }
}
