package dev.robustsweep.trainers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.posthoc.Predictions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores a model on a validation split. Examples are batched in order of length (less padding;
 * the scores do not depend on the order) and every forward pass is scoped so no array outlives it.
 */
public final class Evaluator {
    private final Batcher batcher;
    private final int batchSize;
    private final int numLabels;
    private Predictions last;

    public Evaluator(Batcher batcher, int batchSize, int numLabels) {
        this.batcher = batcher;
        this.batchSize = batchSize;
        this.numLabels = numLabels;
    }

    public ClassificationMetrics evaluate(SequenceClassifier model, List<TokenizedExample> examples, NDManager manager, ForwardContext ctx) {
        Predictions p = predict(model, examples, manager, ctx);
        return ClassificationMetrics.compute(p.logProbs(), p.gold(), numLabels);
    }

    /** The predictive distribution of the latest {@link #evaluate} or {@link #predict} call (null before any). */
    public Predictions lastPredictions() {
        return last;
    }

    /**
     * Log-probabilities of every example, in input order. With a training context (dropout on: MC
     * dropout) the adapters run unmerged, as in training; no gradient is recorded outside a collector.
     */
    public Predictions predict(SequenceClassifier model, List<TokenizedExample> examples, NDManager manager, ForwardContext ctx) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) order.add(i);
        order.sort(Comparator.comparingInt(i -> examples.get(i).ids().length));
        float[] logProbs = new float[examples.size() * numLabels];
        int[] gold = new int[examples.size()];
        try (NDScope evaluation = new NDScope()) {
            evaluation.suppressNotUsedWarning();
            // adapters folded into weight copies: every method evaluates as one plain linear per module
            if (!ctx.training()) model.beginEvaluation();
            scoreBatches(model, examples, order, logProbs, gold, manager, ctx);
        } finally {
            model.endEvaluation();
        }
        last = new Predictions(logProbs, gold, numLabels);
        return last;
    }

    private void scoreBatches(SequenceClassifier model, List<TokenizedExample> examples, List<Integer> order,
                              float[] logProbs, int[] gold, NDManager manager, ForwardContext ctx) {
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> idx = order.subList(start, Math.min(order.size(), start + batchSize));
            List<TokenizedExample> batch = new ArrayList<>();
            for (int i : idx) batch.add(examples.get(i));
            try (NDScope ignored = new NDScope()) {
                NDArray lp = model.forward(batcher.input(batch, manager), ctx).logSoftmax(1);
                float[] values = lp.toFloatArray();
                for (int j = 0; j < idx.size(); j++) {
                    System.arraycopy(values, j * numLabels, logProbs, idx.get(j) * numLabels, numLabels);
                    gold[idx.get(j)] = batch.get(j).label();
                }
            }
        }
    }
}
