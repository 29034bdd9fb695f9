package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.Adapter;

/**
 * A dense layer y = x W^T + b with PyTorch's layout: weight [n_out, n_in], bias [n_out].
 * Optionally carries an {@link Adapter} that replaces the forward pass until merged.
 */
public final class Linear {
    private final String name;
    private final Parameter weight;
    private final Parameter bias;
    private Adapter adapter;
    /** While evaluating: the adapter folded into a weight copy, so evaluation runs one plain linear. */
    private NDArray evaluationWeight;

    /** @param name module name, e.g. "encoder.layer.0.attention.self.query" */
    public Linear(String name, Parameter weight, Parameter bias) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
    }

    /** y = x W^T + b (torch.nn.functional.linear); under bf16 the multiply runs in bfloat16 ({@link Bf16Autocast}). */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias, ForwardContext ctx) {
        if (ctx.bf16()) return Bf16Autocast.linear(x, weight, bias);
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * y + x W^T for y [..., n_out], x [..., n_in] (an adapter's low-rank path added to the base output): in
     * float32 one torch.addmm(y, x, W^T) over 2-D views, whose GEMM accumulates into a copy of y instead of
     * writing x W^T and adding it in a second pass. Under bf16 the product is autocast and added in float32.
     */
    public static NDArray addLinear(NDArray y, NDArray x, NDArray weight, ForwardContext ctx) {
        if (ctx.bf16()) return y.add(linear(x, weight, null, ctx));
        Shape shape = y.getShape();
        NDArray sum = linear(x.reshape(-1, x.getShape().get(x.getShape().dimension() - 1)), weight,
                y.reshape(-1, shape.get(shape.dimension() - 1)), ctx);
        return sum.reshape(shape);
    }

    /** a @ b (torch.matmul); under bf16 with bfloat16 operands and a float32 result, as autocast. */
    public static NDArray matMul(NDArray a, NDArray b, ForwardContext ctx) {
        return ctx.bf16() ? Bf16Autocast.matMul(a, b) : a.matMul(b);
    }

    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray b = bias == null ? null : bias.array();
        if (!ctx.training() && evaluationWeight != null) {
            return linear(x, evaluationWeight, b, ctx);
        }
        if (adapter != null) {
            return adapter.forward(x, this, ctx);
        }
        return linear(x, weight.array(), b, ctx);
    }

    /**
     * Before an evaluation: folds the adapter into a copy of W0 (its exact merge), so every linear
     * adapter method evaluates at the cost of a plain linear (a non-mergeable one keeps its forward); W0 and the adapter are left as they are. The copy
     * belongs to the caller's NDScope; {@link #endEvaluation()} forgets it.
     */
    public void beginEvaluation() {
        if (adapter != null && adapter.mergeable()) evaluationWeight = adapter.mergedWeight(weight.array());
    }

    public void endEvaluation() {
        evaluationWeight = null;
    }

    /** Folds the adapter into W0 and removes it (evaluation and export run a plain linear). */
    public void merge() {
        if (adapter == null) return;
        if (!adapter.mergeable()) throw new IllegalStateException(name + ": this adapter is non-linear and cannot be merged into the weight");
        NDArray merged = adapter.mergedWeight(weight.array());
        weight.array().set(merged.toFloatArray());
        merged.close();
        adapter = null;
    }

    public String name() {
        return name;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Adapter adapter() {
        return adapter;
    }

    public void setAdapter(Adapter adapter) {
        this.adapter = adapter;
    }

    public long inFeatures() {
        return weight.array().getShape().get(1);
    }

    public long outFeatures() {
        return weight.array().getShape().get(0);
    }
}
