package dev.robustsweep.trainers.posthoc.laplace;

import ai.djl.ndarray.NDArray;
import dev.robustsweep.trainers.adapters.Adapter;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.Scalars;
import java.util.List;

/**
 * A trained LoRA adapter's forward pass (no dropout) instrumented for the Laplace approximation: it
 * keeps the inputs of its two matrices (x for A, h = A x for B) and adds a zero leaf that requires a
 * gradient to each output, so one backward pass yields the gradient at the outputs of A and of B for
 * every example and token (the quantities KFAC and the Jacobians are made of). Same output as
 * {@link LoraAdapter}: W0 x + b + scaling B A x.
 */
final class ProbedLoraAdapter implements Adapter {
    final LoraAdapter lora;
    /** Per forward pass: the input of A, the leaf on A's output, the input of B, the leaf on B's output. */
    NDArray inputA;
    NDArray leafA;
    NDArray inputB;
    NDArray leafB;

    ProbedLoraAdapter(LoraAdapter lora) {
        this.lora = lora;
    }

    @Override
    public NDArray forward(NDArray x, Linear base, ForwardContext ctx) {
        NDArray y = Linear.linear(x, base.weight().array(), base.bias() == null ? null : base.bias().array(), ctx);
        inputA = x.stopGradient();
        NDArray h = Linear.linear(x, lora.a().array(), null, ctx);
        leafA = h.zerosLike();
        leafA.setRequiresGradient(true);
        h = h.add(leafA);
        inputB = h.stopGradient();
        // scaling folded into B, as LoraAdapter does: d f / d B = scaling g_out h^T
        NDArray out = Linear.linear(h, lora.b().array().mul(Scalars.of(h, lora.scaling())), null, ctx);
        leafB = out.zerosLike();
        leafB.setRequiresGradient(true);
        return y.add(out.add(leafB));
    }

    @Override
    public List<Parameter> parameters() {
        return lora.parameters();
    }

    @Override
    public NDArray mergedWeight(NDArray w0) {
        return lora.mergedWeight(w0);
    }
}
