package dev.robustsweep.trainers.adapters.dora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DoRA's weight norm is a constant in backprop (DoRA section 4.3; PEFT's DoraLinearLayer detaches it).
 * With W' = W0 + s B A, n = ||W'||_row (detached), y = (m / n) * (W' x) + b and L = sum c * y, the
 * gradients are, in closed form (evaluated here in doubles):
 * dL/dm_i = sum_t c_ti (W' x_t)_i / n_i;  with G_ij = sum_t c_ti (m_i / n_i) x_tj:
 * dL/dB = s G A^T, dL/dA = s B^T G. A non-detached norm would add terms to dL/dA and dL/dB.
 */
class DoraDetachedNormTest {
    @Test
    void gradientsOfMagnitudeAndFactorsTreatTheNormAsConstant() {
        int in = 6;
        int out = 5;
        int r = 2;
        int tokens = 7;
        double alpha = 3;
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            SplittableRandom rng = new SplittableRandom(13);
            float[] w0 = rand(rng, out * in);
            float[] bias = rand(rng, out);
            float[] x = rand(rng, tokens * in);
            float[] c = rand(rng, tokens * out);
            Linear base = new Linear("t", new Parameter("t.weight", m.create(w0, new Shape(out, in)), true),
                    new Parameter("t.bias", m.create(bias, new Shape(out)), false));
            DoraAdapter dora = DoraAdapter.create(base, r, alpha, false, 0.0, m, new SplittableRandom(1));
            float[] b = rand(rng, out * r);
            dora.b().array().set(b);
            float[] a = dora.a().array().toFloatArray();
            float[] mag = dora.magnitude().array().toFloatArray();
            for (Parameter p : dora.parameters()) p.setTrainable(true);
            double s = alpha / r;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = dora.forward(m.create(x, new Shape(tokens, in)), base, ForwardContext.TRAIN);
                gc.backward(y.mul(m.create(c, new Shape(tokens, out))).sum());
            }
            // closed form in doubles
            double[][] w = new double[out][in];
            double[] norm = new double[out];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    double ba = 0;
                    for (int k = 0; k < r; k++) ba += (double) b[i * r + k] * a[k * in + j];
                    w[i][j] = w0[i * in + j] + s * ba;
                    norm[i] += w[i][j] * w[i][j];
                }
                norm[i] = Math.sqrt(norm[i]);
            }
            double[] gm = new double[out];
            double[][] g = new double[out][in];
            for (int t = 0; t < tokens; t++) {
                for (int i = 0; i < out; i++) {
                    double wx = 0;
                    for (int j = 0; j < in; j++) wx += w[i][j] * x[t * in + j];
                    gm[i] += c[t * out + i] * wx / norm[i];
                    for (int j = 0; j < in; j++) g[i][j] += c[t * out + i] * mag[i] / norm[i] * x[t * in + j];
                }
            }
            float[] gotM = dora.magnitude().array().getGradient().toFloatArray();
            float[] gotB = dora.b().array().getGradient().toFloatArray();
            float[] gotA = dora.a().array().getGradient().toFloatArray();
            for (int i = 0; i < out; i++) assertEquals(gm[i], gotM[i], 1e-5 * (1 + Math.abs(gm[i])), "dL/dm_" + i);
            for (int i = 0; i < out; i++) {
                for (int k = 0; k < r; k++) {
                    double e = 0;
                    for (int j = 0; j < in; j++) e += s * g[i][j] * a[k * in + j];
                    assertEquals(e, gotB[i * r + k], 1e-5 * (1 + Math.abs(e)), "dL/dB");
                }
            }
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < in; j++) {
                    double e = 0;
                    for (int i = 0; i < out; i++) e += s * b[i * r + k] * g[i][j];
                    assertEquals(e, gotA[k * in + j], 1e-5 * (1 + Math.abs(e)), "dL/dA");
                }
            }
        }
    }

    private static float[] rand(SplittableRandom rng, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (rng.nextDouble() * 2 - 1);
        return f;
    }
}
