package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;

/** LlamaMLP (SwiGLU): down_proj(silu(gate_proj(x)) * up_proj(x)), silu(z) = z sigmoid(z). */
public final class GatedMlp {
    final Linear gateProj;
    final Linear upProj;
    final Linear downProj;

    public GatedMlp(Linear gateProj, Linear upProj, Linear downProj) {
        this.gateProj = gateProj;
        this.upProj = upProj;
        this.downProj = downProj;
    }

    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray gate = gateProj.forward(x, ctx);
        NDArray silu = gate.mul(Activation.sigmoid(gate));
        return downProj.forward(silu.mul(upProj.forward(x, ctx)), ctx);
    }
}
