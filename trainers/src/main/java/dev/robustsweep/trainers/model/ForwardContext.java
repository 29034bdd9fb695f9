package dev.robustsweep.trainers.model;

/**
 * What a forward pass needs besides its input: whether it trains (dropout on, adapters sample) and
 * whether matrix multiplies run in bf16 (GPU autocast).
 */
public record ForwardContext(boolean training, boolean bf16) {
    public static final ForwardContext EVAL = new ForwardContext(false, false);
    public static final ForwardContext TRAIN = new ForwardContext(true, false);
}
