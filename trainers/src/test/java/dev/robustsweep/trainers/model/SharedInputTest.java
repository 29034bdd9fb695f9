package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * SharedInput's one-multiply down-projection gives what separate forwards give: outputs and the gradients
 * of x, A and B, for q and v adapted and k plain (the PEFT default targets), and with lora_dropout on
 * (where it must fall back and draw the same masks).
 */
class SharedInputTest {
    private static final int IN = 12;
    private static final int R = 3;

    @Test
    void fusedDownProjectionEqualsSeparateForwards() {
        compare(0.0);
    }

    @Test
    void withLoraDropoutTheDrawsAreTheSeparateForwardsDraws() {
        compare(0.25);
    }

    private static void compare(double loraDropout) {
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            SplittableRandom rng = new SplittableRandom(7);
            Linear q = linear("q", m, rng, 10);
            Linear k = linear("k", m, rng, 10);
            Linear v = linear("v", m, rng, 6);
            for (Linear l : List.of(q, v)) {
                LoraAdapter a = LoraAdapter.create(l, R, 8, false, loraDropout, m, rng);
                a.b().array().set(normal(rng, (int) a.b().array().size()));  // B != 0, so the low-rank term counts
                l.setAdapter(a);
            }
            NDArray x = m.create(normal(rng, 2 * 5 * IN), new Shape(2, 5, IN));
            NDArray w = m.create(normal(rng, 2 * 5 * 26), new Shape(2, 5, 26)); // weights of a scalar loss
            List<float[]> fused = run(engine, x, w, q, k, v, xs -> SharedInput.forward(xs, ForwardContext.TRAIN, q, k, v));
            List<float[]> separate = run(engine, x, w, q, k, v,
                    xs -> new NDArray[] {q.forward(xs, ForwardContext.TRAIN), k.forward(xs, ForwardContext.TRAIN), v.forward(xs, ForwardContext.TRAIN)});
            assertEquals(separate.size(), fused.size());
            for (int i = 0; i < fused.size(); i++) assertArrayEquals(separate.get(i), fused.get(i), 1e-5f, "tensor " + i);
        }
    }

    /** Outputs of the three linears and the gradients of x and every A, B under sum(w * [q, k, v]). */
    private static List<float[]> run(Engine engine, NDArray x0, NDArray w, Linear q, Linear k, Linear v, Function<NDArray, NDArray[]> forward) {
        List<NDArray> leaves = new ArrayList<>();
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        leaves.add(x);
        for (Linear l : List.of(q, v)) {
            LoraAdapter a = (LoraAdapter) l.adapter();
            for (Parameter p : a.parameters()) {
                p.array().setRequiresGradient(true);
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.array()); // the other run's gradient
                leaves.add(p.array());
            }
        }
        engine.setRandomSeed(11); // same dropout draws for both runs
        List<float[]> out = new ArrayList<>();
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray[] y = forward.apply(x);
            NDArray all = y[0].concat(y[1], -1).concat(y[2], -1);
            for (NDArray t : y) out.add(t.toFloatArray());
            gc.backward(all.mul(w).sum());
        }
        for (NDArray leaf : leaves) out.add(leaf.getGradient().toFloatArray());
        return out;
    }

    private static Linear linear(String name, NDManager m, SplittableRandom rng, int out) {
        return new Linear(name, new Parameter(name + ".weight", m.create(normal(rng, out * IN), new Shape(out, IN)), true),
                new Parameter(name + ".bias", m.create(normal(rng, out), new Shape(out)), false));
    }

    private static float[] normal(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextDouble() * 2 - 1);
        return a;
    }
}
