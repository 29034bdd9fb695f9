package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BertForSequenceClassification's head (method-spec.md section 7):
 * <pre>
 *   pooled = tanh(W_p h_[CLS] + b_p)        (BertPooler: pooler.dense, pretrained when the folder has it)
 *   logits = classifier(dropout(pooled))    (classifier: Linear(hidden, num_labels))
 * </pre>
 * Mean pooling (RobustSweep extension, {@code pooling: mean}): pooled = masked mean of the last hidden
 * state in place of the pooler's output; no pooler is built.
 */
public final class BertHead implements ClassificationHead {
    private final Linear pooler;
    private final boolean poolerPretrained;
    private final Linear classifier;
    private final double dropout;

    /** @param pooler pooler.dense, or null for mean pooling */
    public BertHead(Linear pooler, boolean poolerPretrained, Linear classifier, double dropout) {
        this.pooler = pooler;
        this.poolerPretrained = poolerPretrained;
        this.classifier = classifier;
        this.dropout = dropout;
    }

    @Override
    public NDArray forward(NDArray hidden, NDArray attentionMask, ForwardContext ctx) {
        NDArray pooled = pooler == null
                ? Pooling.pool("mean", hidden, attentionMask)
                : pooler.forward(Pooling.pool("cls", hidden, attentionMask), ctx).tanh();
        return classifier.forward(Dropout.apply(pooled, dropout, ctx), ctx);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        if (pooler != null) {
            out.add(pooler.weight());
            out.add(pooler.bias());
        }
        out.addAll(classifierParameters());
        return out;
    }

    @Override
    public List<Parameter> classifierParameters() {
        return List.of(classifier.weight(), classifier.bias());
    }

    /** pooler.dense, or null under mean pooling. */
    public Linear pooler() {
        return pooler;
    }

    public Linear classifier() {
        return classifier;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "BertForSequenceClassification");
        m.put("pooling", pooler == null ? "mean" : "cls");
        m.put("pooler", pooler == null ? "none (mean pooling)" : poolerPretrained ? "pretrained" : "newly initialised");
        m.put("dropout", dropout);
        return m;
    }
}
