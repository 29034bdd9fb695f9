package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** Two steps of torch.optim.AdamW on f(w) = sum(c * w^2 / 2) (gradient c w), computed by hand in doubles. */
    @Test
    void matchesTheAdamWRecurrence() {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        double[] w0 = {1.0, -2.0};
        double[] c = {3.0, 0.5};
        var engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            Parameter p = new Parameter("w", manager.create(new float[] {1f, -2f}), true);
            p.setTrainable(true);
            AdamW opt = new AdamW(List.of(p), b1, b2, eps, wd, manager);
            NDArray cArr = manager.create(new float[] {3f, 0.5f});
            double[] w = w0.clone();
            double[] m = new double[2];
            double[] v = new double[2];
            for (int t = 1; t <= 2; t++) {
                try (NDScope ignored = new NDScope()) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        gc.backward(p.array().square().mul(cArr).sum().div(2));
                    }
                    opt.step(lr, 1.0);
                    opt.zeroGradients();
                }
                for (int i = 0; i < 2; i++) {
                    double g = c[i] * w[i];
                    w[i] *= 1 - lr * wd;
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
                }
            }
            float[] got = p.array().toFloatArray();
            assertEquals(w[0], got[0], 1e-6);
            assertEquals(w[1], got[1], 1e-6);
        }
    }

    @Test
    void gradientNormIsTheGlobalL2Norm() {
        var engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            Parameter a = new Parameter("a", manager.create(new float[] {3f}), true);
            Parameter b = new Parameter("b", manager.create(new float[] {4f, 0f}), false);
            a.setTrainable(true);
            b.setTrainable(true);
            AdamW opt = new AdamW(List.of(a, b), 0.9, 0.999, 1e-8, 0, manager);
            try (NDScope ignored = new NDScope()) {
                try (GradientCollector gc = engine.newGradientCollector()) {
                    // d/da (a^2/2) = 3, d/db sum(b^2/2) = (4, 0): norm 5
                    gc.backward(a.array().square().sum().div(2).add(b.array().square().sum().div(2)));
                }
                assertEquals(5.0, opt.gradientNorm(), 1e-6);
                opt.zeroGradients();
            }
        }
    }

    /**
     * torch keeps a step count per tensor: a parameter that starts training at step 2 takes a first
     * AdamW step (bias corrections 1 - b1, 1 - b2), i.e. w -= lr g / (|g| + eps) (times 1 - lr wd first).
     * A shared count would give lr * 0.526 / 0.707 = 0.744 lr instead of lr.
     */
    @Test
    void eachParameterCountsItsOwnSteps() {
        double lr = 0.1, wd = 0.0;
        var engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            Parameter early = new Parameter("early", manager.create(new float[] {1f}), true);
            Parameter late = new Parameter("late", manager.create(new float[] {2f}), true);
            early.setTrainable(true);
            AdamW opt = new AdamW(List.of(early, late), 0.9, 0.999, 1e-8, wd, manager);
            for (int t = 1; t <= 2; t++) {
                if (t == 2) late.setTrainable(true);
                try (NDScope ignored = new NDScope()) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray loss = early.array().square().sum().div(2);
                        if (late.trainable()) loss = loss.add(late.array().square().sum().mul(1.5f));
                        gc.backward(loss);
                    }
                    opt.step(lr, 1.0);
                    opt.zeroGradients();
                }
            }
            assertEquals(2, opt.stepCount(early));
            assertEquals(1, opt.stepCount(late));
            // gradient 3 * 2 = 6 > 0: first step moves by lr * 6 / (6 + 1e-8)
            assertEquals(2.0 - lr * 6 / (6 + 1e-8), late.array().toFloatArray()[0], 1e-6);
        }
    }

    /** clip_grad_norm_ semantics: the gradients themselves are scaled in place before the update. */
    @Test
    void clippingScalesTheGradientsInPlace() {
        var engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            Parameter p = new Parameter("p", manager.create(new float[] {3f, -4f}), true);
            p.setTrainable(true);
            AdamW opt = new AdamW(List.of(p), 0.9, 0.999, 1e-8, 0, manager);
            try (NDScope ignored = new NDScope()) {
                try (GradientCollector gc = engine.newGradientCollector()) {
                    gc.backward(p.array().square().sum().div(2)); // gradient (3, -4), norm 5
                }
                opt.step(0.01, 0.25);
                float[] g = p.array().getGradient().toFloatArray();
                assertEquals(0.75, g[0], 1e-7);
                assertEquals(-1.0, g[1], 1e-7);
                opt.zeroGradients();
            }
        }
    }

    /**
     * The fused CPU pass (float32) and the engine-op path (taken for float64, as for GPU tensors) compute the
     * same recurrence: three steps with weight decay and clipping agree to float32 rounding.
     */
    @Test
    void fusedCpuPassEqualsEngineOps() {
        var engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            float[] init = new float[70_000]; // more than one parallel chunk
            for (int i = 0; i < init.length; i++) init[i] = (float) Math.sin(i * 0.37) * 2;
            Parameter fused = new Parameter("fused", manager.create(init), true);
            Parameter ops = new Parameter("ops", manager.create(init).toType(ai.djl.ndarray.types.DataType.FLOAT64, true), true);
            fused.setTrainable(true);
            ops.setTrainable(true);
            AdamW a = new AdamW(List.of(fused), 0.9, 0.999, 1e-8, 0.1, manager);
            AdamW b = new AdamW(List.of(ops), 0.9, 0.999, 1e-8, 0.1, manager);
            for (int t = 1; t <= 3; t++) {
                for (Parameter p : List.of(fused, ops)) {
                    AdamW opt = p == fused ? a : b;
                    try (NDScope ignored = new NDScope()) {
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray w = p.array();
                            gc.backward(w.square().sum().div(2).add(w.sum().mul(0.3)));
                        }
                        double norm = opt.gradientNorm();
                        opt.step(0.01, Math.min(1.0, 50.0 / (norm + 1e-6)));
                        opt.zeroGradients();
                    }
                }
                float[] x = fused.array().toFloatArray();
                double[] y = ops.array().toDoubleArray();
                double worst = 0;
                for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
                assertEquals(0.0, worst, 2e-6, "step " + t);
            }
        }
    }
}
