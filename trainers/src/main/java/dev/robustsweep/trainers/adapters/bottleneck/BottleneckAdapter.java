package dev.robustsweep.trainers.adapters.bottleneck;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.Adapter;
import dev.robustsweep.trainers.model.Dropout;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.Scalars;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * LLM-Adapters' bottleneck adapter layer (peft/tuners/bottleneck.py, class Linear): a trainable
 * down-projection D [bottleneck, n], a non-linearity f, an up-projection U [m, bottleneck], both
 * without bias, scaled by s and added around the frozen linear y = W0 x + b, by placement:
 * <ul>
 *   <li>{@link Placement#INPUT} ("mh_adapter"): y = W0 (x + s U f(D dropout(x))) + b, n = m = n_in;</li>
 *   <li>{@link Placement#OUTPUT} ("output_adapter"): h = W0 x + b; y = h + s U f(D dropout(h)), n = m = n_out;</li>
 *   <li>{@link Placement#PARALLEL} ("parallel_adapter"): y = W0 x + b + s U f(D dropout(x)), n = n_in, m = n_out.</li>
 * </ul>
 * Non-linear, so it is never merged: evaluation runs this forward pass too.
 */
public final class BottleneckAdapter implements Adapter {
    /** Where the adapter sits relative to the linear (LLM-Adapters' adapter_type). */
    public enum Placement { INPUT, OUTPUT, PARALLEL }

    private final Placement placement;
    private final Parameter down;
    private final Parameter up;
    private final String nonLinearity;
    private final double dropout;
    private final double scaling;

    public BottleneckAdapter(Placement placement, Parameter down, Parameter up, String nonLinearity, double dropout, double scaling) {
        this.placement = placement;
        this.down = down;
        this.up = up;
        this.nonLinearity = nonLinearity;
        this.dropout = dropout;
        this.scaling = scaling;
    }

    /**
     * D and U for {@code base}: init "bert" draws both from N(0, 0.02) (BERT's init_bert_weights, their
     * default); "mam_adapter" draws D from U(-1/sqrt(n), 1/sqrt(n)) (Kaiming-uniform, a = sqrt(5)) and sets U = 0.
     */
    public static BottleneckAdapter create(Linear base, Placement placement, int bottleneck, String nonLinearity,
                                           double dropout, double scaling, String init, NDManager manager, SplittableRandom rng) {
        int in = (int) base.inFeatures();
        int out = (int) base.outFeatures();
        int n = placement == Placement.OUTPUT ? out : in;
        int m = placement == Placement.INPUT ? in : out;
        float[] d = new float[bottleneck * n];
        float[] u = new float[m * bottleneck];
        Random gaussian = new Random(rng.nextLong());
        if ("mam_adapter".equals(init)) {
            double bound = 1.0 / Math.sqrt(n);
            for (int i = 0; i < d.length; i++) d[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        } else {
            for (int i = 0; i < d.length; i++) d[i] = (float) (0.02 * gaussian.nextGaussian());
            for (int i = 0; i < u.length; i++) u[i] = (float) (0.02 * gaussian.nextGaussian());
        }
        return new BottleneckAdapter(placement,
                new Parameter(base.name() + ".adapter_down.weight", manager.create(d, new Shape(bottleneck, n)), true),
                new Parameter(base.name() + ".adapter_up.weight", manager.create(u, new Shape(m, bottleneck)), true),
                nonLinearity, dropout, scaling);
    }

    @Override
    public NDArray forward(NDArray x, Linear base, ForwardContext ctx) {
        NDArray w = base.weight().array();
        NDArray b = base.bias() == null ? null : base.bias().array();
        return switch (placement) {
            case INPUT -> Linear.linear(x.add(bottleneck(x, ctx)), w, b, ctx);
            case OUTPUT -> {
                NDArray h = Linear.linear(x, w, b, ctx);
                yield h.add(bottleneck(h, ctx));
            }
            case PARALLEL -> Linear.linear(x, w, b, ctx).add(bottleneck(x, ctx));
        };
    }

    /** s * U f(D dropout(v)). */
    private NDArray bottleneck(NDArray v, ForwardContext ctx) {
        NDArray h = activation(Linear.linear(Dropout.apply(v, dropout, ctx), down.array(), null, ctx));
        NDArray y = Linear.linear(h, up.array(), null, ctx);
        return scaling == 1.0 ? y : y.mul(Scalars.of(y, scaling));
    }

    private NDArray activation(NDArray h) {
        return switch (nonLinearity) {
            case "tanh" -> h.tanh();
            case "relu" -> h.getNDArrayInternal().relu();
            case "gelu" -> h.getNDArrayInternal().gelu();
            case "silu" -> h.mul(h.getNDArrayInternal().sigmoid());
            case "sigmoid" -> h.getNDArrayInternal().sigmoid();
            default -> throw new IllegalArgumentException("adapter.non_linearity: unknown '" + nonLinearity + "'");
        };
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(down, up);
    }

    @Override
    public boolean mergeable() {
        return false;
    }

    @Override
    public NDArray mergedWeight(NDArray w0) {
        throw new IllegalStateException("the bottleneck adapter is non-linear: it has no merged weight");
    }

    public Placement placement() {
        return placement;
    }

    public Parameter down() {
        return down;
    }

    public Parameter up() {
        return up;
    }
}
