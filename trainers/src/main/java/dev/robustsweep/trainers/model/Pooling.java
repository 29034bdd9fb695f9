package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;

/** Sentence representation from the last hidden state: the first token ("cls") or the masked mean ("mean"). */
public final class Pooling {
    private Pooling() {}

    /** hidden [batch, seq, h], mask [batch, seq] float -> [batch, h]. */
    public static NDArray pool(String kind, NDArray hidden, NDArray mask) {
        if ("mean".equals(kind)) {
            NDArray m = mask.expandDims(2);
            return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(Scalars.of(m, 1e-9)));
        }
        return hidden.get(":, 0, :");
    }
}
