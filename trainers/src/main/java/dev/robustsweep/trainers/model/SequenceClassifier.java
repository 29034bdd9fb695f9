package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder plus a sequence-classification head: pool (cls or mean), dropout, linear to the labels.
 * Input an {@link EncoderInput}; output logits [batch, num_labels].
 */
public final class SequenceClassifier {
    private final Encoder encoder;
    private final Linear classifier;
    private final String pooling;
    private final double classifierDropout;

    public SequenceClassifier(Encoder encoder, Linear classifier, String pooling, double classifierDropout) {
        this.encoder = encoder;
        this.classifier = classifier;
        this.pooling = pooling;
        this.classifierDropout = classifierDropout;
    }

    public NDArray forward(EncoderInput in, ForwardContext ctx) {
        NDArray hidden = encoder.forward(in, ctx);
        NDArray pooled = Dropout.apply(Pooling.pool(pooling, hidden, in.attentionMask()), classifierDropout, ctx);
        return classifier.forward(pooled, ctx);
    }

    public Encoder encoder() {
        return encoder;
    }

    public Linear classifier() {
        return classifier;
    }

    /** Every base parameter (encoder and head), adapters excluded. */
    public List<Parameter> baseParameters() {
        List<Parameter> out = new ArrayList<>();
        Embeddings e = encoder.embeddings;
        out.add(e.word);
        out.add(e.position);
        out.add(e.tokenType);
        out.add(e.layerNorm.gamma());
        out.add(e.layerNorm.beta());
        for (EncoderLayer layer : encoder.layers) {
            SelfAttention a = layer.attention;
            for (Linear l : List.of(a.query, a.key, a.value, a.output)) addLinear(out, l);
            out.add(a.layerNorm.gamma());
            out.add(a.layerNorm.beta());
            FeedForward f = layer.feedForward;
            addLinear(out, f.intermediate);
            addLinear(out, f.output);
            out.add(f.layerNorm.gamma());
            out.add(f.layerNorm.beta());
        }
        addLinear(out, classifier);
        return out;
    }

    /** Base parameters plus those of every installed adapter. */
    public List<Parameter> allParameters() {
        List<Parameter> out = baseParameters();
        for (EncoderLayer layer : encoder.layers) {
            for (String name : dev.robustsweep.trainers.trial.TargetModules.NAMES) {
                Linear l = layer.targetLinears().get(name);
                if (l.adapter() != null) out.addAll(l.adapter().parameters());
            }
        }
        return out;
    }

    /** Evaluation with every adapter folded into a weight copy (see {@link Linear#beginEvaluation()}). */
    public void beginEvaluation() {
        for (EncoderLayer layer : encoder.layers) {
            for (Linear l : layer.targetLinears().values()) l.beginEvaluation();
        }
    }

    public void endEvaluation() {
        for (EncoderLayer layer : encoder.layers) {
            for (Linear l : layer.targetLinears().values()) l.endEvaluation();
        }
    }

    /** Merges every adapter into its base weight (evaluation/export as a plain model). */
    public void mergeAdapters() {
        for (EncoderLayer layer : encoder.layers) {
            for (Linear l : layer.targetLinears().values()) l.merge();
        }
    }

    private static void addLinear(List<Parameter> out, Linear l) {
        out.add(l.weight());
        if (l.bias() != null) out.add(l.bias());
    }
}
