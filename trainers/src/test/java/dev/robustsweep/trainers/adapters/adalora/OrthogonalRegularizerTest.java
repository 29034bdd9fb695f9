package dev.robustsweep.trainers.adapters.adalora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * AdaLoRA's orthogonal regulariser (eq. 4; PEFT AdaLoraModel.forward): orth_reg_weight x the mean over
 * every A and B of ||A A^T - I||_F and ||B^T B - I||_F, evaluated here in doubles from the matrices.
 */
class OrthogonalRegularizerTest {
    @Test
    void valueIsTheWeightedMeanOfFrobeniusDistances() throws Exception {
        Engine engine = TinyTraining.engine(61);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("adalora");
            trial.adalora.orthRegWeight = 0.3;
            AdaLoraMethod method = (AdaLoraMethod) Methods.create(trial, manager, 10);
            method.apply(TinyTraining.model(manager, trial.seed));
            List<AdaLoraAdapter> adapters = method.adapters();
            SplittableRandom rng = new SplittableRandom(3);
            double sum = 0;
            for (int l = 0; l < adapters.size(); l++) {
                AdaLoraAdapter ad = adapters.get(l);
                int r = ad.rank();
                int in = (int) ad.a().array().getShape().get(1);
                int out = (int) ad.b().array().getShape().get(0);
                float[] a = new float[r * in];
                float[] b = new float[out * r];
                if (l == 0) {
                    // orthonormal rows (A A^T = I) and columns (B^T B = I): this layer contributes 0
                    for (int i = 0; i < r; i++) a[i * in + i] = 1f;
                    for (int i = 0; i < r; i++) b[(i + 3) * r + i] = 1f;
                } else {
                    for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextDouble() - 0.5);
                    for (int i = 0; i < b.length; i++) b[i] = (float) (rng.nextDouble() - 0.5);
                }
                ad.a().array().set(a);
                ad.b().array().set(b);
                double da = 0;
                double db = 0;
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        double aa = 0;
                        for (int k = 0; k < in; k++) aa += (double) a[i * in + k] * a[j * in + k];
                        double bb = 0;
                        for (int k = 0; k < out; k++) bb += (double) b[k * r + i] * b[k * r + j];
                        double id = i == j ? 1 : 0;
                        da += (aa - id) * (aa - id);
                        db += (bb - id) * (bb - id);
                    }
                }
                if (l == 0) assertEquals(0.0, Math.sqrt(da) + Math.sqrt(db), 1e-12);
                sum += Math.sqrt(da) + Math.sqrt(db);
            }
            double expected = 0.3 * sum / (2 * adapters.size());
            double got = method.extraLosses().get("orthogonal_regularizer").getFloat();
            assertEquals(expected, got, 1e-5 * expected, "orthogonal regulariser");
        }
    }
}
