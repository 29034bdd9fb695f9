package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RobertaForSequenceClassification's head (RobertaClassificationHead; method-spec.md section 7):
 * <pre>
 *   x      = h_&lt;s&gt;                                   (first token; RoBERTa has no pooler)
 *   logits = out_proj(dropout(tanh(dense(dropout(x)))))
 * </pre>
 * with classifier.dense Linear(hidden, hidden) and classifier.out_proj Linear(hidden, num_labels).
 * Mean pooling (RobustSweep extension, {@code pooling: mean}): x = masked mean of the last hidden state.
 */
public final class RobertaHead implements ClassificationHead {
    private final Linear dense;
    private final Linear outProj;
    private final double dropout;
    private final String pooling;

    public RobertaHead(Linear dense, Linear outProj, double dropout, String pooling) {
        this.dense = dense;
        this.outProj = outProj;
        this.dropout = dropout;
        this.pooling = pooling;
    }

    @Override
    public NDArray forward(NDArray hidden, NDArray attentionMask, ForwardContext ctx) {
        NDArray x = Dropout.apply(Pooling.pool(pooling, hidden, attentionMask), dropout, ctx);
        NDArray h = Dropout.apply(dense.forward(x, ctx).tanh(), dropout, ctx);
        return outProj.forward(h, ctx);
    }

    @Override
    public List<Parameter> parameters() {
        return classifierParameters();
    }

    @Override
    public List<Parameter> classifierParameters() {
        return List.of(dense.weight(), dense.bias(), outProj.weight(), outProj.bias());
    }

    public Linear dense() {
        return dense;
    }

    public Linear outProj() {
        return outProj;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "RobertaForSequenceClassification");
        m.put("pooling", pooling);
        m.put("dropout", dropout);
        return m;
    }
}
