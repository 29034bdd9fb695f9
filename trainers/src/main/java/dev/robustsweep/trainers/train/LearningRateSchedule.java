package dev.robustsweep.trainers.train;

/**
 * Hugging Face's schedules: linear warm-up over {@code warmup} steps, then linear decay to 0 at
 * {@code total} ("linear", get_linear_schedule_with_warmup) or constant ("constant", with warm-up).
 * {@code lr(s)} is the rate of the update that follows s completed updates (s = 0 for the first).
 */
public final class LearningRateSchedule {
    private final String kind;
    private final double peak;
    private final int warmup;
    private final int total;

    public LearningRateSchedule(String kind, double peak, int warmup, int total) {
        this.kind = kind;
        this.peak = peak;
        this.warmup = warmup;
        this.total = total;
    }

    /** warmup_steps if > 0, else ceil(warmup_ratio * total) (as Trainer.get_warmup_steps). */
    public static int warmupSteps(int warmupSteps, double warmupRatio, int total) {
        return warmupSteps > 0 ? warmupSteps : (int) Math.ceil(warmupRatio * total);
    }

    public double lr(int completedSteps) {
        if (completedSteps < warmup) return peak * completedSteps / Math.max(1, warmup);
        if ("constant".equals(kind)) return peak;
        return peak * Math.max(0.0, (double) (total - completedSteps) / Math.max(1, total - warmup));
    }
}
