package dev.robustsweep.trainers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.robustsweep.trainers.model.Parameter;
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
 * Updates run outside the gradient collector (grad mode off), in place.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final List<State> states = new ArrayList<>();

    private final NDManager manager;

    /** Moment estimates of one parameter, allocated the first time it trains (frozen ones cost nothing). */
    private static final class State {
        final Parameter parameter;
        NDArray m;
        NDArray v;
        /** Steps this parameter has taken (torch: state["step"]). */
        int step;

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

    /** Global L2 norm of all gradients, sqrt(sum_p ||g_p||^2), as one engine array (no sync). */
    public NDArray gradientNorm() {
        NDArray total = null;
        for (State s : states) {
            if (!s.parameter.trainable()) continue;
            NDArray sq = s.parameter.array().getGradient().square().sum();
            total = total == null ? sq : total.add(sq);
        }
        return total == null ? null : total.sqrt();
    }

    /**
     * One update with learning rate {@code lr}; {@code gradScale} multiplies every gradient
     * (clipping: min(1, max_norm / (norm + 1e-6)), as torch.nn.utils.clip_grad_norm_).
     * Frozen parameters (trainable false) are skipped.
     */
    public void step(double lr, double gradScale) {
        if (gradScale != 1.0) clipGradients(gradScale);
        for (State s : states) {
            Parameter p = s.parameter;
            if (!p.trainable()) continue;
            NDArray w = p.array();
            if (s.m == null) {
                s.m = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
                s.v = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
                NDScope.unregister(s.m, s.v); // optimizer state outlives the step's scope
            }
            s.step++;
            double bc1 = 1 - Math.pow(beta1, s.step);
            double bc2 = 1 - Math.pow(beta2, s.step);
            double stepSize = lr / bc1;
            NDArray g = w.getGradient();
            if (p.decay() && weightDecay > 0) w.muli(1 - lr * weightDecay);
            s.m.muli(beta1).addi(g.mul(1 - beta1));
            s.v.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray denom = s.v.sqrt().divi(Math.sqrt(bc2)).addi(eps);
            w.subi(s.m.div(denom).muli(stepSize));
        }
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
