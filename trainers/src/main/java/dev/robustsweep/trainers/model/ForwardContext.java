package dev.robustsweep.trainers.model;

/**
 * What a forward pass needs besides its input: whether it trains (adapters sample, adapters run
 * unmerged), whether dropout is on (while training, unless a context says otherwise), and whether
 * matrix multiplies run in bf16 ({@link Bf16Autocast}, as torch.autocast).
 */
public record ForwardContext(boolean training, boolean bf16, boolean dropout) {
    public static final ForwardContext EVAL = new ForwardContext(false, false);
    public static final ForwardContext TRAIN = new ForwardContext(true, false);

    /** Training contexts have dropout on, evaluation contexts off. */
    public ForwardContext(boolean training, boolean bf16) {
        this(training, bf16, training);
    }

    /** Stochastic adapters sample as in training while every dropout stays off (MonteCLoRA's model average). */
    public static ForwardContext samplingWithoutDropout(boolean bf16) {
        return new ForwardContext(true, bf16, false);
    }
}
