package dev.robustsweep.trainers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.robustsweep.trainers.runtime.HostMemory;
import dev.robustsweep.trainers.runtime.HostParallel;
import dev.robustsweep.trainers.model.Parameter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) exactly as torch.optim.AdamW: decoupled weight decay
 * p <- p (1 - lr wd) for parameters with decay (never biases or LayerNorm), then
 * m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2,
 * p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * State is per parameter, as torch's: t counts the steps in which that tensor trained, so a tensor
 * that starts training later (post-hoc MonteCLoRA's V and alpha) gets its own bias correction.
 * Gradients are scaled in place by the clipping factor first (torch.nn.utils.clip_grad_norm_, both
 * signs), so hooks after the step (AdaLoRA's importance) see the clipped gradients, as in PEFT.
 * Updates run outside the gradient collector (grad mode off), in place. On the CPU every float32
 * tensor is updated in one fused, parallel pass over its memory ({@link FusedAdamWKernel}); elsewhere
 * (GPU, other types) by engine ops. Both compute the same recurrence.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final List<State> states = new ArrayList<>();

    /** Elements per unit of parallel work in the fused CPU passes. */
    private static final int CHUNK = 1 << 16;

    private final NDManager manager;

    /** Moment estimates of one parameter, allocated the first time it trains (frozen ones cost nothing). */
    private static final class State {
        final Parameter parameter;
        NDArray m;
        NDArray v;
        /** Steps this parameter has taken (torch: state["step"]). */
        int step;
        /** Shared views of m and v when they live in CPU memory (null: engine ops). */
        FloatBuffer mHost;
        FloatBuffer vHost;

        State(Parameter parameter) {
            this.parameter = parameter;
        }
    }

    /** @param parameters every parameter that may train during the trial (frozen ones are skipped per step) */
    public AdamW(List<Parameter> parameters, double beta1, double beta2, double eps, double weightDecay, NDManager manager) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = manager;
        for (Parameter p : parameters) states.add(new State(p));
    }

    /**
     * Global L2 norm of all trainable gradients, sqrt(sum_p ||g_p||^2) (torch.nn.utils.clip_grad_norm_'s
     * total norm); 0 when nothing trains, NaN or infinite when a gradient is.
     */
    public double gradientNorm() {
        List<State> active = active();
        if (active.isEmpty()) return 0;
        List<Chunk> chunks = hostChunks(active);
        if (chunks != null) {
            return Math.sqrt(HostParallel.sum(chunks.size(), i -> {
                Chunk c = chunks.get(i);
                return FusedAdamWKernel.sumOfSquares(c.g, c.from, c.to);
            }));
        }
        NDArray total = null;
        for (State s : active) {
            NDArray sq = s.parameter.array().getGradient().square().sum();
            total = total == null ? sq : total.add(sq);
        }
        return total.sqrt().toType(DataType.FLOAT64, false).getDouble();
    }

    /**
     * One update with learning rate {@code lr}; {@code gradScale} multiplies every gradient
     * (clipping: min(1, max_norm / (norm + 1e-6)), as torch.nn.utils.clip_grad_norm_).
     * Frozen parameters (trainable false) are skipped.
     */
    public void step(double lr, double gradScale) {
        List<State> active = active();
        for (State s : active) {
            if (s.m == null) {
                NDArray w = s.parameter.array();
                s.m = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
                s.v = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
                NDScope.unregister(s.m, s.v); // optimizer state outlives the step's scope
                s.mHost = HostMemory.of(s.m);
                s.vHost = HostMemory.of(s.v);
            }
            s.step++;
        }
        List<Chunk> chunks = hostChunks(active);
        if (chunks != null) {
            HostParallel.forEach(chunks.size(), i -> {
                Chunk c = chunks.get(i);
                State s = c.state;
                double bc1 = 1 - Math.pow(beta1, s.step);
                double bc2 = 1 - Math.pow(beta2, s.step);
                float decay = (float) (s.parameter.decay() && weightDecay > 0 ? 1 - lr * weightDecay : 1);
                FusedAdamWKernel.step(c.p, c.g, s.mHost, s.vHost, c.from, c.to, (float) gradScale, decay,
                        beta1, beta2, (float) (lr / bc1), (float) Math.sqrt(bc2), (float) eps);
            });
            return;
        }
        if (gradScale != 1.0) clipGradients(gradScale);
        for (State s : active) {
            NDArray w = s.parameter.array();
            double bc1 = 1 - Math.pow(beta1, s.step);
            double bc2 = 1 - Math.pow(beta2, s.step);
            double stepSize = lr / bc1;
            NDArray g = w.getGradient();
            if (s.parameter.decay() && weightDecay > 0) w.muli(1 - lr * weightDecay);
            s.m.muli(beta1).addi(g.mul(1 - beta1));
            s.v.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray denom = s.v.sqrt().divi(Math.sqrt(bc2)).addi(eps);
            w.subi(s.m.div(denom).muli(stepSize));
        }
    }

    private List<State> active() {
        List<State> active = new ArrayList<>();
        for (State s : states) if (s.parameter.trainable()) active.add(s);
        return active;
    }

    /** A range of one parameter's elements, with shared views of its value and gradient. */
    private record Chunk(State state, FloatBuffer p, FloatBuffer g, int from, int to) {}

    /**
     * The active parameters cut into ranges of CHUNK elements, when every value, gradient and (once
     * allocated) moment lives in CPU memory that can be viewed; null otherwise (engine ops for all).
     */
    private static List<Chunk> hostChunks(List<State> active) {
        List<Chunk> chunks = new ArrayList<>();
        for (State s : active) {
            NDArray w = s.parameter.array();
            FloatBuffer p = HostMemory.of(w);
            FloatBuffer g = p == null ? null : HostMemory.of(w.getGradient());
            if (p == null || g == null || (s.m != null && (s.mHost == null || s.vHost == null))) return null;
            int n = p.capacity();
            for (int from = 0; from < n; from += CHUNK) chunks.add(new Chunk(s, p, g, from, Math.min(n, from + CHUNK)));
        }
        return chunks;
    }

    /** Multiplies every trainable parameter's gradient by {@code scale}, in place (clip_grad_norm_'s g.mul_(coef)). */
    public void clipGradients(double scale) {
        for (State s : states) {
            if (s.parameter.trainable()) s.parameter.array().getGradient().muli(scale);
        }
    }

    /** Zeroes every trainable parameter's gradient (the engine accumulates until zeroed). */
    public void zeroGradients() {
        for (State s : states) {
            if (s.parameter.trainable()) JniUtils.zeroGrad((PtNDArray) s.parameter.array());
        }
    }

    /** Steps taken by {@code parameter} (0 before it first trains); torch's state[p]["step"]. */
    public int stepCount(Parameter parameter) {
        for (State s : states) if (s.parameter == parameter) return s.step;
        throw new IllegalArgumentException(parameter.name() + " is not managed by this optimizer");
    }
}
