package dev.robustsweep.engine.store;

/** Where a trial stands, derived from its folder (result.json first, then attempts.jsonl). */
public enum TrialStatus {
    /** Not run yet, or interrupted, or failed with retries left. */
    PENDING,
    /** An attempt is in progress under a live engine. */
    RUNNING,
    /** result.json with status completed. */
    COMPLETED,
    /** result.json with status diverged (NaN/inf loss): final, a data point for robustness. */
    DIVERGED,
    /** No result and every allowed attempt failed; rerun with resume --retry-failed. */
    FAILED;

    public boolean done() {
        return this == COMPLETED || this == DIVERGED;
    }

    public String label() {
        return name().toLowerCase();
    }
}
