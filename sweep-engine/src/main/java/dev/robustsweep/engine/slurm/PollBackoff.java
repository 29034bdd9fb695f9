package dev.robustsweep.engine.slurm;

import java.time.Duration;

/**
 * Delay between two polls of the scheduler: starts short, grows by a factor while nothing changes, is
 * capped, and drops back to the start when something changed (a task started, ended or a result
 * appeared). Defaults: 1 s, x1.5, at most 30 s (1, 1.5, 2.25, ... 25.6, 30, 30 s).
 */
public final class PollBackoff {
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);
    public static final double DEFAULT_FACTOR = 1.5;

    private final long initialMs;
    private final long maxMs;
    private final double factor;
    private long nextMs;

    public PollBackoff() {
        this(DEFAULT_INITIAL, DEFAULT_FACTOR, DEFAULT_MAX);
    }

    public PollBackoff(Duration initial, double factor, Duration max) {
        if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial delay must be > 0, found " + initial);
        if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max delay " + max + " is below the initial " + initial);
        if (!(factor >= 1.0)) throw new IllegalArgumentException("factor must be >= 1, found " + factor);
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.factor = factor;
        this.nextMs = initialMs;
    }

    /** The delay to wait now; {@code changed} says whether the last poll saw any change. */
    public Duration next(boolean changed) {
        if (changed) nextMs = initialMs;
        long delay = nextMs;
        nextMs = Math.min(maxMs, Math.round(nextMs * factor));
        return Duration.ofMillis(delay);
    }

    /** Back to the initial delay (e.g. after a submission). */
    public void reset() {
        nextMs = initialMs;
    }
}
