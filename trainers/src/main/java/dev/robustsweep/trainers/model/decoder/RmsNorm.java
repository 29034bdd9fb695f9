package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.Scalars;

/** LlamaRMSNorm: x / sqrt(mean(x^2) + eps) * weight, over the last axis, in float32. */
public final class RmsNorm {
    private final Parameter weight;
    private final double eps;

    public RmsNorm(Parameter weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    public NDArray forward(NDArray x) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        NDArray normalised = x.div(variance.add(Scalars.of(variance, eps)).sqrt());
        return normalised.mul(weight.array());
    }

    public Parameter weight() {
        return weight;
    }
}
