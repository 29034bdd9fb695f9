package dev.robustsweep.trainers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TrainingPhase;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Scalars;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.trial.FaultInjection;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: seeded shuffling, AdamW with a warm-up schedule and global-norm clipping, the
 * method's extra losses added in one visible place, evaluation after every epoch. A method with several
 * phases (post-hoc MonteCLoRA) gets a fresh optimizer and schedule at each phase's first epoch. A NaN or infinite
 * loss or gradient norm stops the trial as diverged. Every step runs in its own NDScope, so no
 * native memory outlives a step.
 */
public final class Trainer {
    private final TrialConfig trial;
    private final SequenceClassifier model;
    private final AdaptationMethod method;
    private final Batcher batcher;
    private final Evaluator evaluator;
    private final NDManager manager;
    private final TrainingListener listener;

    public Trainer(TrialConfig trial, SequenceClassifier model, AdaptationMethod method, Batcher batcher,
                   Evaluator evaluator, NDManager manager, TrainingListener listener) {
        this.trial = trial;
        this.model = model;
        this.method = method;
        this.batcher = batcher;
        this.evaluator = evaluator;
        this.manager = manager;
        this.listener = listener;
    }

    /** Optimizer steps of a trial: ceil(n / batch) per epoch. */
    public static int totalSteps(int trainExamples, int batchSize, int epochs) {
        return ((trainExamples + batchSize - 1) / batchSize) * epochs;
    }

    /** Result of one optimizer step: its loss, whether loss and gradient norm were finite, its extra-loss terms. */
    public record StepResult(double loss, boolean finite, Map<String, Double> extraLosses) {}

    private AdamW optimizer;
    private LearningRateSchedule schedule;
    private int totalSteps;
    private int step;
    /** Steps taken before the current phase began (the schedule counts from the phase's start). */
    private int phaseStartStep;

    /** Sets up the optimizer and schedule for a trial of {@code totalSteps} optimizer steps (one phase). */
    public void prepare(int totalSteps) {
        this.totalSteps = totalSteps;
        this.step = 0;
        startPhase(totalSteps, 1.0);
    }

    /**
     * A fresh AdamW and a fresh schedule (warm-up and decay over {@code phaseSteps}, peak learning_rate x
     * {@code lrMultiplier}) from the current step on, as a new Hugging Face Trainer would start.
     */
    private void startPhase(int phaseSteps, double lrMultiplier) {
        this.phaseStartStep = step;
        this.schedule = new LearningRateSchedule(trial.lrSchedulerType, trial.learningRate * lrMultiplier,
                LearningRateSchedule.warmupSteps(trial.warmupSteps, trial.warmupRatio, phaseSteps), phaseSteps);
        this.optimizer = new AdamW(model.allParameters(), trial.adamBeta1, trial.adamBeta2, trial.adamEpsilon, trial.weightDecay, manager);
    }

    /**
     * One optimizer step on {@code batch}: forward, task loss plus the method's extra losses, backward,
     * global-norm clipping, AdamW, the method's after-step hook, zeroed gradients; all in one NDScope.
     */
    public StepResult step(List<TokenizedExample> batch) {
        step++;
        ForwardContext ctx = new ForwardContext(true, trial.bf16);
        try (NDScope ignored = new NDScope()) {
            NDArray lossArray;
            Map<String, NDArray> extras;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = model.forward(batcher.input(batch, manager), ctx);
                NDArray labels = Batcher.labels(batch, manager);
                // cross-entropy: mean over the batch of -log softmax(logits)[gold]
                lossArray = logits.logSoftmax(1).mul(labels.oneHot((int) logits.getShape().get(1))).sum(new int[] {1}).mean().neg();
                // the method's extra terms (AdaLoRA orthogonality, MonteCLoRA KL and cooperative losses)
                extras = method.extraLosses();
                for (NDArray extra : extras.values()) lossArray = lossArray.add(extra);
                if (fault("nan", step)) lossArray = lossArray.mul(Scalars.of(lossArray, Double.NaN));
                collector.backward(lossArray);
            }
            double loss = lossArray.getFloat();
            double gradNorm = optimizer.gradientNorm();
            boolean finite = Double.isFinite(loss) && Double.isFinite(gradNorm);
            Map<String, Double> extraValues = new LinkedHashMap<>();
            if (finite) {
                // global-norm clipping, both signs: g *= min(1, max_norm / (||g|| + 1e-6))
                double scale = trial.maxGradNorm > 0 ? Math.min(1.0, trial.maxGradNorm / (gradNorm + 1e-6)) : 1.0;
                // clip in place, AdamW step, then the method's hook sees the clipped gradients (PEFT order)
                optimizer.step(schedule.lr(step - 1 - phaseStartStep), scale);
                method.afterOptimizerStep(step, totalSteps);
                for (Map.Entry<String, NDArray> e : extras.entrySet()) extraValues.put(e.getKey(), (double) e.getValue().getFloat());
            }
            optimizer.zeroGradients();
            return new StepResult(loss, finite, extraValues);
        }
    }

    public TrainingOutcome train(List<TokenizedExample> train, List<TokenizedExample> dev) {
        int stepsPerEpoch = (train.size() + trial.batchSize - 1) / trial.batchSize;
        prepare(stepsPerEpoch * trial.epochs);
        List<TrainingPhase> phases = method.phases(trial.epochs);
        ForwardContext evalCtx = new ForwardContext(false, trial.bf16);
        List<EpochRecord> epochs = new ArrayList<>();
        List<double[]> curve = new ArrayList<>();
        long tokens = 0;
        double trainSeconds = 0;
        double evalSeconds = 0;
        for (int epoch = 0; epoch < trial.epochs; epoch++) {
            method.onEpochStart(epoch, trial.epochs, model);
            for (TrainingPhase phase : phases) {
                if (phase.firstEpoch() == epoch) startPhase(stepsPerEpoch * phase.epochs(), phase.learningRateMultiplier());
            }
            long t0 = System.nanoTime();
            // seeded shuffling, a fresh order every epoch
            int[] order = TaskLoader.permutation(train.size(), trial.seed * 1_000_003L + epoch);
            double lossSum = 0;
            int lossCount = 0;
            Map<String, Double> extraSums = new LinkedHashMap<>();
            for (int start = 0; start < order.length; start += trial.batchSize) {
                List<TokenizedExample> batch = new ArrayList<>();
                for (int i = start; i < Math.min(order.length, start + trial.batchSize); i++) batch.add(train.get(order[i]));
                StepResult r = step(batch);
                if (fault("crash", step)) Runtime.getRuntime().halt(134);
                if (fault("hang", step)) hang();
                if (!r.finite()) {
                    trainSeconds += (System.nanoTime() - t0) / 1e9;
                    return new TrainingOutcome(true, step, epochs, curve, step, tokens, trainSeconds, evalSeconds);
                }
                r.extraLosses().forEach((k, v) -> extraSums.merge(k, v, Double::sum));
                tokens += Batcher.tokens(batch);
                lossSum += r.loss();
                lossCount++;
                curve.add(new double[] {step, r.loss()});
                listener.onStep(epoch + 1, trial.epochs, step, totalSteps, r.loss());
            }
            long t1 = System.nanoTime();
            ClassificationMetrics metrics = evaluator.evaluate(model, dev, manager, evalCtx);
            long t2 = System.nanoTime();
            trainSeconds += (t1 - t0) / 1e9;
            evalSeconds += (t2 - t1) / 1e9;
            Map<String, Double> extraMeans = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : extraSums.entrySet()) extraMeans.put(e.getKey(), e.getValue() / Math.max(1, lossCount));
            EpochRecord record = new EpochRecord(epoch + 1, lossSum / Math.max(1, lossCount), metrics, lossCount,
                    extraMeans, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            epochs.add(record);
            listener.onEpoch(record);
        }
        return new TrainingOutcome(false, -1, epochs, curve, step, tokens, trainSeconds, evalSeconds);
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
