package dev.robustsweep.trainers.posthoc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.posthoc.laplace.LaplaceLora;
import dev.robustsweep.trainers.train.ClassificationMetrics;
import dev.robustsweep.trainers.train.EpochRecord;
import dev.robustsweep.trainers.train.Evaluator;
import dev.robustsweep.trainers.train.TrainingListener;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The post-hoc predictive of the Bayesian baselines that keep LoRA's training (method-spec.md section 9):
 * {@code mc_dropout}, {@code checkpoint_ensemble}, {@code temperature}, {@code laplace_lora} and {@code llla}. The trial trains its LoRA
 * fine-tune as usual (per-epoch scores are the plain deterministic ones); the final scores are those
 * of the method's predictive, and the result's "posthoc" block records the plain scores beside them,
 * the method's fitted values and its cost.
 */
public final class PosthocEvaluation {
    /** Methods whose predictive this class computes (they train exactly like lora). */
    public static final Set<String> METHODS = Set.of("mc_dropout", "checkpoint_ensemble", "temperature", "laplace_lora", "llla");

    /** Separates the model average's samples from training's. */
    static final long BMA_SALT = 0x424D41L;

    private final TrialConfig trial;
    private final Evaluator evaluator;
    private final dev.robustsweep.trainers.data.Batcher batcher;
    private final int numLabels;
    private final List<Predictions> epochPredictions = new ArrayList<>();

    public PosthocEvaluation(TrialConfig trial, Evaluator evaluator, dev.robustsweep.trainers.data.Batcher batcher, int numLabels) {
        this.trial = trial;
        this.evaluator = evaluator;
        this.batcher = batcher;
        this.numLabels = numLabels;
    }

    public static boolean applies(TrialConfig trial) {
        return METHODS.contains(trial.method) || ("monteclora".equals(trial.method) && trial.monteclora.bmaSamples > 0);
    }

    /**
     * Temperature scaling's split of the training examples: {train, held-out}, the held-out part a
     * seeded random {@code holdout_fraction} (at least one example, at least one left to train on).
     * Other methods train on everything: {train, empty}.
     */
    public static List<List<TokenizedExample>> split(TrialConfig trial, List<TokenizedExample> train) {
        if (!"temperature".equals(trial.method)) return List.of(train, List.of());
        int n = train.size();
        int held = (int) Math.max(1, Math.round(trial.posthoc.holdoutFraction * n));
        if (held >= n) throw new IllegalArgumentException("posthoc.holdout_fraction: holds out all " + n
                + " training examples; temperature scaling needs at least 2 training examples and a fraction below 1");
        int[] order = TaskLoader.permutation(n, trial.seed * 31L + 0x54656D70L);
        java.util.Arrays.sort(order, n - held, n); // held-out examples in data order
        java.util.Arrays.sort(order, 0, n - held);
        List<TokenizedExample> rest = new ArrayList<>(n - held);
        List<TokenizedExample> holdout = new ArrayList<>(held);
        for (int i = 0; i < n - held; i++) rest.add(train.get(order[i]));
        for (int i = n - held; i < n; i++) holdout.add(train.get(order[i]));
        return List.of(rest, holdout);
    }

    /** Wraps the trial's listener to keep every epoch's dev predictive (for the checkpoint ensemble). */
    public TrainingListener listener(TrainingListener inner) {
        return new TrainingListener() {
            @Override
            public void onStep(int epoch, int epochs, int step, int totalSteps, double loss) {
                inner.onStep(epoch, epochs, step, totalSteps, loss);
            }

            @Override
            public void onEpoch(EpochRecord record) {
                if ("checkpoint_ensemble".equals(trial.method)) epochPredictions.add(evaluator.lastPredictions());
                inner.onEpoch(record);
            }
        };
    }

    /** The method's final predictive scores and its state. */
    public record Outcome(ClassificationMetrics metrics, Map<String, Object> state) {}

    /**
     * After training: the method's predictive on {@code dev}. {@code lastDev} is the deterministic dev
     * predictive of the final epoch; {@code holdout} the held-out training examples (temperature only);
     * {@code train} the examples the fine-tune trained on (the Laplace curvature and marginal likelihood).
     */
    public Outcome finish(SequenceClassifier model, List<TokenizedExample> dev, List<TokenizedExample> holdout,
                          List<TokenizedExample> train, Predictions lastDev, NDManager manager, Engine engine) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("method", trial.method);
        long t0 = System.nanoTime();
        Predictions predictive;
        switch (trial.method) {
            case "mc_dropout" -> {
                predictive = McDropout.predict(model, evaluator, dev, manager, engine, trial.seed, trial.posthoc.mcSamples, trial.bf16);
                state.put("mc_samples", trial.posthoc.mcSamples);
            }
            case "checkpoint_ensemble" -> {
                int k = Math.min(trial.posthoc.ensembleCheckpoints, epochPredictions.size());
                predictive = PredictiveAverage.of(epochPredictions.subList(epochPredictions.size() - k, epochPredictions.size()));
                state.put("checkpoints", k);
                state.put("epochs", epochRange(epochPredictions.size() - k + 1, epochPredictions.size()));
            }
            case "temperature" -> {
                // fitted on held-out TRAINING examples only; the dev set is never read here
                Predictions held = evaluator.predict(model, holdout, manager, new ForwardContext(false, trial.bf16));
                double t = TemperatureScaling.fit(held);
                predictive = TemperatureScaling.apply(lastDev, t);
                state.put("temperature", t);
                state.put("temperature_search_range", TemperatureScaling.searchRange());
                String bound = TemperatureScaling.atBound(t);
                state.put("temperature_at_bound", bound == null ? "none" : bound);
                if (bound != null) {
                    System.err.printf("warning: temperature T = %.4g is at the %s end of its search range [e^-10, e^10] (result.json:"
                            + " posthoc.temperature_at_bound)%n", t, bound);
                }
                state.put("holdout_examples", holdout.size());
                state.put("holdout_nll_before", TemperatureScaling.nll(held, 1.0));
                state.put("holdout_nll_after", TemperatureScaling.nll(held, 1.0 / t));
            }
            case "monteclora" -> {
                // Bayesian model average: S passes with A_used = A + epsilon W sampled per layer, dropout off
                EngineSetup.seed(engine, trial.seed ^ BMA_SALT);
                ForwardContext sampling = ForwardContext.samplingWithoutDropout(trial.bf16);
                List<Predictions> passes = new ArrayList<>();
                for (int s = 0; s < trial.monteclora.bmaSamples; s++) passes.add(evaluator.predict(model, dev, manager, sampling));
                predictive = PredictiveAverage.of(passes);
                state.put("bma_samples", trial.monteclora.bmaSamples);
            }
            case "laplace_lora", "llla" -> {
                LaplaceLora la = new LaplaceLora(model, "llla".equals(trial.method));
                la.fit(train, batcher, manager, trial.evalBatchSize, numLabels, trial.bf16, trial.posthoc.laplacePriorPrecision);
                long t1 = System.nanoTime();
                predictive = la.predict(dev, batcher, manager, trial.evalBatchSize, numLabels, trial.bf16,
                        trial.posthoc.laplacePredictive, trial.posthoc.laplaceSamples, trial.seed);
                state.putAll(la.state());
                state.put("predictive", trial.posthoc.laplacePredictive);
                if ("mc".equals(trial.posthoc.laplacePredictive)) state.put("laplace_samples", trial.posthoc.laplaceSamples);
                state.put("laplace_predict_s", (System.nanoTime() - t1) / 1e9);
            }
            default -> throw new IllegalStateException("not a post-hoc method: " + trial.method);
        }
        state.put("predict_s", (System.nanoTime() - t0) / 1e9);
        ClassificationMetrics plain = ClassificationMetrics.compute(lastDev.logProbs(), lastDev.gold(), lastDev.k());
        Map<String, Object> plainScores = new LinkedHashMap<>();
        plainScores.put("accuracy", plain.accuracy());
        plainScores.put("nll", plain.nll());
        plainScores.put("ece", plain.ece());
        plainScores.put("brier", plain.brier());
        state.put("plain_metrics", plainScores);
        return new Outcome(ClassificationMetrics.compute(predictive.logProbs(), predictive.gold(), predictive.k()), state);
    }

    private static List<Integer> epochRange(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int e = from; e <= to; e++) out.add(e);
        return out;
    }
}
