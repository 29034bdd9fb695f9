package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.robustsweep.trainers.adapters.Adapter;
import dev.robustsweep.trainers.adapters.LowRankUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Linears that read the same input (attention's q, k and v projections): each output is what its own
 * {@link Linear#forward} gives. When two or more carry an additive low-rank adapter ({@link LowRankUpdate}),
 * the rest none, and no input dropout is drawn, those down-projections run as one multiply
 * h = x [D_1; D_2; ...]^T: x is read once, and the backward pass computes one dD and one dx for all of them
 * instead of one each plus their sum (training benchmark, LoRA on q, k, v of minilm-l6, batch 32 x 128:
 * 1.045 -> 1.014 s per step). Each adapter's D is asked for once, in the linears' order, as separate
 * forwards would (MonteCLoRA's draws keep their order). Elsewhere (evaluation, which runs merged weights;
 * other adapters; lora_dropout) each linear runs its own forward.
 */
public final class SharedInput {
    private SharedInput() {}

    public static NDArray[] forward(NDArray x, ForwardContext ctx, Linear... linears) {
        NDArray[] out = new NDArray[linears.length];
        List<Integer> fused = fusable(ctx, linears);
        if (fused.size() < 2) {
            for (int i = 0; i < linears.length; i++) out[i] = linears[i].forward(x, ctx);
            return out;
        }
        NDList downs = new NDList();
        for (int i : fused) downs.add(((LowRankUpdate) linears[i].adapter()).down(ctx));
        // h = x [D_1; D_2; ...]^T: [..., r_1 + r_2 + ...]
        NDArray h = Linear.linear(x, NDArrays.concat(downs, 0), null, ctx);
        String leading = ":, ".repeat(h.getShape().dimension() - 1);
        long offset = 0;
        for (int j = 0; j < fused.size(); j++) {
            Linear base = linears[fused.get(j)];
            long r = downs.get(j).getShape().get(0);
            NDArray y = Linear.linear(x, base.weight().array(), base.bias() == null ? null : base.bias().array(), ctx);
            NDArray hj = h.get(new NDIndex(leading + offset + ":" + (offset + r)));
            out[fused.get(j)] = Linear.addLinear(y, hj, ((LowRankUpdate) base.adapter()).up(), ctx);
            offset += r;
        }
        for (int i = 0; i < linears.length; i++) if (out[i] == null) out[i] = linears[i].forward(x, ctx);
        return out;
    }

    /**
     * The linears whose down-projections can share one multiply, or none: only in training, and only when
     * every linear either has no adapter (it draws no noise, so the others' draws keep their order) or an
     * additive low-rank one without input dropout.
     */
    private static List<Integer> fusable(ForwardContext ctx, Linear... linears) {
        List<Integer> fused = new ArrayList<>();
        if (!ctx.training()) return fused;
        for (int i = 0; i < linears.length; i++) {
            Adapter a = linears[i].adapter();
            if (a == null) continue;
            if (!(a instanceof LowRankUpdate u) || !u.additive() || (ctx.dropout() && u.inputDropout() > 0)) return List.of();
            fused.add(i);
        }
        return fused;
    }
}
