package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;

/** Inverted dropout, active only while training (its randomness comes from the engine's seeded generator). */
public final class Dropout {
    private Dropout() {}

    public static NDArray apply(NDArray x, double rate, ForwardContext ctx) {
        if (!ctx.training() || rate <= 0) return x;
        return x.getNDArrayInternal().dropout(x, (float) rate, true).singletonOrThrow();
    }
}
