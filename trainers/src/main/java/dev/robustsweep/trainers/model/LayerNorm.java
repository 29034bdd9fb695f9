package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Layer normalisation over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta. */
public final class LayerNorm {
    private final Parameter gamma;
    private final Parameter beta;
    private final float eps;

    public LayerNorm(Parameter gamma, Parameter beta, double eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = (float) eps;
    }

    public NDArray forward(NDArray x) {
        Shape normalized = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, normalized, gamma.array(), beta.array(), eps).singletonOrThrow();
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }
}
