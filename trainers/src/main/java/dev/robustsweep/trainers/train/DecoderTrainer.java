package dev.robustsweep.trainers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TrainingPhase;
import dev.robustsweep.trainers.commonsense.CausalLmBatch;
import dev.robustsweep.trainers.commonsense.CausalLmExample;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Scalars;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import dev.robustsweep.trainers.trial.FaultInjection;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The causal-LM training loop of a decoder trial, as the encoder's {@link Trainer}: seeded shuffling,
 * AdamW with the warm-up schedule and global-norm clipping, the method's extra losses, phases, faults,
 * divergence. One optimizer step per batch_size examples, run as micro-batches of micro_batch_size
 * whose gradients accumulate: each micro-batch's loss (mean NLL over its unmasked tokens, plus the
 * method's extra terms) is divided by the batch's number of micro-batches, as Hugging Face's Trainer
 * divides by gradient_accumulation_steps. Every micro-batch runs in its own NDScope.
 */
public final class DecoderTrainer {
    private final TrialConfig trial;
    private final CausalLm model;
    private final AdaptationMethod method;
    private final NDManager manager;
    private final TrainingListener listener;
    private final long padId;

    private AdamW optimizer;
    private LearningRateSchedule schedule;
    private int totalSteps;
    private int step;
    private int phaseStartStep;

    public DecoderTrainer(TrialConfig trial, CausalLm model, AdaptationMethod method, long padId, NDManager manager, TrainingListener listener) {
        this.trial = trial;
        this.model = model;
        this.method = method;
        this.padId = padId;
        this.manager = manager;
        this.listener = listener;
    }

    /** Loss curve and per-epoch training losses of a finished (or diverged) training. */
    public record Outcome(boolean diverged, int divergedAtStep, List<Map<String, Object>> epochs, List<double[]> lossCurve,
                          int steps, long trainTokens, double trainSeconds) {}

    private void startPhase(int phaseSteps, double lrMultiplier) {
        phaseStartStep = step;
        schedule = new LearningRateSchedule(trial.lrSchedulerType, trial.learningRate * lrMultiplier,
                LearningRateSchedule.warmupSteps(trial.warmupSteps, trial.warmupRatio, phaseSteps), phaseSteps);
        optimizer = new AdamW(model.allParameters(), trial.adamBeta1, trial.adamBeta2, trial.adamEpsilon, trial.weightDecay, manager);
    }

    /** One optimizer step over {@code batch}: its micro-batches' gradients accumulate, then clip, AdamW, the method's hook. */
    double[] step(List<CausalLmExample> batch, Map<String, Double> extraSums) {
        step++;
        ForwardContext ctx = new ForwardContext(true, trial.bf16);
        int micro = trial.decoder.microBatch(trial.batchSize);
        int parts = (batch.size() + micro - 1) / micro;
        double loss = 0;
        Map<String, Double> extraValues = new LinkedHashMap<>();
        for (int start = 0; start < batch.size(); start += micro) {
            try (NDScope ignored = new NDScope()) {
                CausalLmBatch b = CausalLmBatch.of(batch.subList(start, Math.min(batch.size(), start + micro)), padId, manager);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    List<Map<String, NDArray>> extras = new ArrayList<>(1);
                    // forward and backward (with activation checkpointing when the model has it on)
                    NDArray part = model.trainingStep(b.ids(), b.mask(), logits -> {
                        // causal-LM loss: mean NLL of every unmasked next token (Hugging Face's shifted cross-entropy)
                        NDArray l = TokenNll.mean(logits, b.labels());
                        extras.add(method.extraLosses());
                        for (NDArray extra : extras.get(0).values()) l = l.add(extra);
                        if (fault("nan", step)) l = l.mul(Scalars.of(l, Double.NaN));
                        // gradient accumulation: each micro-batch contributes 1/parts of the step's loss
                        return l.div(Scalars.of(l, parts));
                    }, collector, ctx);
                    loss += part.getFloat();
                    for (Map.Entry<String, NDArray> e : extras.get(0).entrySet()) extraValues.merge(e.getKey(), (double) e.getValue().getFloat() / parts, Double::sum);
                }
            }
        }
        try (NDScope ignored = new NDScope()) {
            double gradNorm = optimizer.gradientNorm();
            boolean finite = Double.isFinite(loss) && Double.isFinite(gradNorm);
            if (finite) {
                // global-norm clipping, both signs: g *= min(1, max_norm / (||g|| + 1e-6)); then AdamW, then the method's hook
                double scale = trial.maxGradNorm > 0 ? Math.min(1.0, trial.maxGradNorm / (gradNorm + 1e-6)) : 1.0;
                optimizer.step(schedule.lr(step - 1 - phaseStartStep), scale);
                method.afterOptimizerStep(step, totalSteps);
                extraValues.forEach((k, v) -> extraSums.merge(k, v, Double::sum));
            }
            optimizer.zeroGradients();
            return new double[] {loss, finite ? 1 : 0};
        }
    }

    public Outcome train(List<CausalLmExample> train) {
        int stepsPerEpoch = (train.size() + trial.batchSize - 1) / trial.batchSize;
        totalSteps = stepsPerEpoch * trial.epochs;
        step = 0;
        startPhase(totalSteps, 1.0);
        List<TrainingPhase> phases = method.phases(trial.epochs);
        List<Map<String, Object>> epochs = new ArrayList<>();
        List<double[]> curve = new ArrayList<>();
        long tokens = 0;
        double seconds = 0;
        for (int epoch = 0; epoch < trial.epochs; epoch++) {
            method.onEpochStart(epoch, trial.epochs, model);
            for (TrainingPhase phase : phases) {
                if (phase.firstEpoch() == epoch) startPhase(stepsPerEpoch * phase.epochs(), phase.learningRateMultiplier());
            }
            long t0 = System.nanoTime();
            int[] order = TaskLoader.permutation(train.size(), trial.seed * 1_000_003L + epoch);
            double lossSum = 0;
            int steps = 0;
            Map<String, Double> extraSums = new LinkedHashMap<>();
            for (int start = 0; start < order.length; start += trial.batchSize) {
                List<CausalLmExample> batch = new ArrayList<>();
                for (int i = start; i < Math.min(order.length, start + trial.batchSize); i++) batch.add(train.get(order[i]));
                double[] r = step(batch, extraSums);
                if (fault("crash", step)) Runtime.getRuntime().halt(134);
                if (fault("hang", step)) hang();
                if (r[1] == 0) {
                    seconds += (System.nanoTime() - t0) / 1e9;
                    return new Outcome(true, step, epochs, curve, step, tokens, seconds);
                }
                for (CausalLmExample e : batch) tokens += e.ids().length;
                lossSum += r[0];
                steps++;
                curve.add(new double[] {step, r[0]});
                listener.onStep(epoch + 1, trial.epochs, step, totalSteps, r[0]);
            }
            double epochSeconds = (System.nanoTime() - t0) / 1e9;
            seconds += epochSeconds;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("epoch", epoch + 1);
            record.put("train_loss", lossSum / Math.max(1, steps));
            record.put("steps", steps);
            Map<String, Double> extraMeans = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : extraSums.entrySet()) extraMeans.put(e.getKey(), e.getValue() / Math.max(1, steps));
            record.put("extra_losses", extraMeans);
            record.put("train_s", epochSeconds);
            epochs.add(record);
        }
        return new Outcome(false, -1, epochs, curve, step, tokens, seconds);
    }

    private boolean fault(String kind, int step) {
        FaultInjection f = trial.faultInjection;
        return f != null && kind.equals(f.kind) && step == f.atStep && "1".equals(System.getenv(FaultInjection.ENV_SWITCH));
    }

    private static void hang() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // keep hanging: the engine's timeout must kill this worker
            }
        }
    }
}
