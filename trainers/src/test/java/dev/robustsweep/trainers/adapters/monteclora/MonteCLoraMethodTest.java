package dev.robustsweep.trainers.adapters.monteclora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MonteCLoRA at the layer and model level: Lemma 5, gradients through the task loss, variants, state. */
class MonteCLoraMethodTest {
    static MonteCLoraMethod build(NDManager manager, SequenceClassifier model, TrialConfig trial) {
        MonteCLoraMethod method = (MonteCLoraMethod) Methods.create(trial, manager, 10);
        method.apply(model);
        return method;
    }

    /** Lemma 5: E[A_used] = A; the mean of M draws is within Monte Carlo error of A, a single draw is not. */
    @Test
    void stochasticDownProjectionIsUnbiased() throws Exception {
        Engine engine = TinyTraining.engine(31);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("monteclora");
            trial.monteclora.sampleScaler = 0.1;
            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            MonteCLoraAdapter adapter = build(manager, model, trial).adapters().get(0);
            // V = diag(0.5 .. 2): a non-trivial covariance
            adapter.logScale().array().set(new float[] {(float) Math.log(0.5), 0f, (float) Math.log(1.5), (float) Math.log(2)});
            int r = trial.lora.r;
            double nu = r;
            float[] a = adapter.a().array().toFloatArray();
            int in = a.length / r;
            int draws = 4000;
            double[] sum = new double[a.length];
            double firstDeviation = 0;
            for (int s = 0; s < draws; s++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    float[] used = adapter.stochasticA().toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        sum[i] += used[i];
                        if (s == 0) firstDeviation = Math.max(firstDeviation, Math.abs(used[i] - a[i]));
                    }
                }
            }
            double[] v = {0.5, 1, 1.5, 2};
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                // Var(A_used_ij) = eps^2 E[sum pi^2] nu V_i <= eps^2 nu V_i
                double sd = trial.monteclora.sampleScaler * Math.sqrt(nu * v[i / in] / draws);
                worst = Math.max(worst, Math.abs(sum[i] / draws - a[i]) / sd);
            }
            assertTrue(worst < 5, "max |mean - A| / sd = " + worst);
            assertTrue(firstDeviation > 20 * trial.monteclora.sampleScaler * Math.sqrt(nu * 2 / draws), "one draw is noisy: " + firstDeviation);
        }
    }

    /** After B leaves 0 the task loss alone (kl_weight 0, no cooperative loss) sends gradient to alpha and V. */
    @Test
    void taskLossGradientReachesAlphaAndV() throws Exception {
        Engine engine = TinyTraining.engine(41);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("monteclora");
            trial.monteclora.klWeight = 0;
            trial.monteclora.cooperativeLoss = false;
            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            MonteCLoraMethod method = build(manager, model, trial);
            EncoderInput in = TinyTraining.batch(manager, 3);
            NDArray labels = TinyTraining.labels(manager);
            TinyTraining.sgdStep(model, method, in, labels, 0.05, 1, 10);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray loss = TinyTraining.crossEntropy(model.forward(in, ForwardContext.TRAIN), labels);
                Map<String, NDArray> extra = method.extraLosses();
                assertEquals(List.of("kl"), List.copyOf(extra.keySet()));
                gc.backward(loss.add(extra.get("kl")));
            }
            MonteCLoraAdapter adapter = method.adapters().get(0);
            assertTrue(adapter.logConcentration().array().getGradient().abs().sum().getFloat() > 0, "alpha gradient");
            assertTrue(adapter.logScale().array().getGradient().abs().sum().getFloat() > 0, "V gradient");
        }
    }

    @Test
    void variantsPosthocRandomInitSparseAndState() throws Exception {
        Engine engine = TinyTraining.engine(43);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("monteclora");
            trial.monteclora.schedule = "posthoc";
            trial.monteclora.dirichletInit = "random";
            trial.monteclora.mixture = "sparse";
            trial.monteclora.wishartDof = 6.5;
            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            MonteCLoraMethod method = build(manager, model, trial);
            assertEquals(6.5, method.degreesOfFreedom());
            MonteCLoraAdapter adapter = method.adapters().get(0);
            EncoderInput in = TinyTraining.batch(manager, 3);
            NDArray labels = TinyTraining.labels(manager);
            // 4 epochs: epochs 0-1 train A, B; epochs 2-3 train V, alpha
            method.onEpochStart(0, 4, model);
            assertTrue(adapter.a().trainable() && adapter.b().trainable());
            assertFalse(adapter.logScale().trainable() || adapter.logConcentration().trainable());
            float[] alphaBefore = adapter.logConcentration().array().toFloatArray();
            TinyTraining.sgdStep(model, method, in, labels, 0.05, 1, 4);
            assertEquals(java.util.Arrays.toString(alphaBefore), java.util.Arrays.toString(adapter.logConcentration().array().toFloatArray()), "alpha frozen in the first half");
            method.onEpochStart(2, 4, model);
            assertFalse(adapter.a().trainable() || adapter.b().trainable());
            assertTrue(adapter.logScale().trainable() && adapter.logConcentration().trainable());
            assertFalse(model.head().classifierParameters().get(0).trainable(), "post-hoc phase 2 freezes the head");
            float[] aBefore = adapter.a().array().toFloatArray();
            TinyTraining.sgdStep(model, method, in, labels, 0.05, 2, 4);
            assertEquals(java.util.Arrays.toString(aBefore), java.util.Arrays.toString(adapter.a().array().toFloatArray()));
            Map<String, Object> state = method.state();
            List<?> epochs = (List<?>) state.get("epochs");
            assertEquals(2, epochs.size(), "one summary per epoch: " + epochs);
            Map<?, ?> first = (Map<?, ?>) epochs.get(0);
            for (String key : new String[] {"kl_gaussian", "kl_wishart", "kl_dirichlet", "cooperative", "mean_sampled_pi"}) {
                assertTrue(first.containsKey(key), key);
            }
            assertEquals(6, ((Map<?, ?>) state.get("mixture_weights")).size());
            assertEquals(6L * (4 + 4), method.extraParameterCount());
        }
    }

    /**
     * dirichlet_init random: every alpha_k ~ U(0, 1) independently. 12 layers x 16 components = 192 values;
     * Kolmogorov-Smirnov distance to U(0, 1) below 1.63 / sqrt(192) (the 1% critical value).
     */
    @Test
    void randomDirichletInitIsUniformOnZeroOne() throws Exception {
        Engine engine = TinyTraining.engine(47);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("monteclora");
            trial.lora.targetModules = List.of("all");
            trial.monteclora.mixtures = 16;
            trial.monteclora.dirichletInit = "random";
            MonteCLoraMethod method = build(manager, TinyTraining.model(manager, trial.seed), trial);
            List<Double> alphas = new java.util.ArrayList<>();
            for (MonteCLoraAdapter adapter : method.adapters()) {
                for (float la : adapter.logConcentration().array().toFloatArray()) alphas.add(Math.exp(la));
            }
            assertEquals(12 * 16, alphas.size());
            java.util.Collections.sort(alphas);
            double ks = 0;
            int n = alphas.size();
            for (int i = 0; i < n; i++) {
                double a = alphas.get(i);
                assertTrue(a > 0 && a <= 1 + 1e-6, "alpha in (0, 1]: " + a);
                ks = Math.max(ks, Math.max(Math.abs((i + 1.0) / n - a), Math.abs(a - (double) i / n)));
            }
            assertTrue(ks < 1.63 / Math.sqrt(n), "KS distance " + ks);
        }
    }

    /**
     * The sparse mixture through the adapter's own sampling: W = (A_used - A) / epsilon = C Z_k* for one
     * component, so every entry of row i has variance E[sum_l C_il^2] = V_i nu (Bartlett: E[sum_l T_il^2] = nu),
     * exactly; the dense mixture sum_k pi_k C Z_k has nu V_i E[sum_k pi_k^2], about 0.4 nu V_i for N = 4, alpha = 1.
     */
    @Test
    void sparseMixtureUsesOneFullVarianceComponent() throws Exception {
        Engine engine = TinyTraining.engine(59);
        try (NDManager manager = engine.newBaseManager()) {
            double[] ratio = new double[2];
            String[] kinds = {"sparse", "dense"};
            for (int kind = 0; kind < 2; kind++) {
                TrialConfig trial = TinyTraining.trial("monteclora");
                trial.monteclora.mixture = kinds[kind];
                trial.monteclora.sampleScaler = 0.1;
                MonteCLoraAdapter adapter = build(manager, TinyTraining.model(manager, trial.seed), trial).adapters().get(0);
                double[] v = {0.5, 1, 1.5, 2};
                float[] logV = new float[4];
                for (int i = 0; i < 4; i++) logV[i] = (float) Math.log(v[i]);
                adapter.logScale().array().set(logV);
                float[] a = adapter.a().array().toFloatArray();
                int r = trial.lora.r;
                int in = a.length / r;
                double nu = r;
                double sumRatio = 0;
                int draws = 600;
                for (int s = 0; s < draws; s++) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        float[] used = adapter.stochasticA().toFloatArray();
                        adapter.clearStep();
                        for (int i = 0; i < a.length; i++) {
                            double w = (used[i] - a[i]) / trial.monteclora.sampleScaler;
                            sumRatio += w * w / (nu * v[i / in]);
                        }
                    }
                }
                ratio[kind] = sumRatio / (draws * (double) a.length);
            }
            assertEquals(1.0, ratio[0], 0.12, "sparse: E[W_ij^2] / (nu V_i)");
            assertTrue(ratio[1] < 0.7, "dense: E[W_ij^2] / (nu V_i) = " + ratio[1]);
        }
    }
}
