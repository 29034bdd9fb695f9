package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder plus the sequence-classification head of the model type ({@link ClassificationHead}).
 * Input an {@link EncoderInput}; output logits [batch, num_labels].
 */
public final class SequenceClassifier implements AdaptableModel {
    private final Encoder encoder;
    private final ClassificationHead head;

    public SequenceClassifier(Encoder encoder, ClassificationHead head) {
        this.encoder = encoder;
        this.head = head;
    }

    public NDArray forward(EncoderInput in, ForwardContext ctx) {
        return head.forward(encoder.forward(in, ctx), in.attentionMask(), ctx);
    }

    public Encoder encoder() {
        return encoder;
    }

    public ClassificationHead head() {
        return head;
    }

    @Override
    public List<String> moduleNames() {
        return dev.robustsweep.trainers.trial.TargetModules.NAMES;
    }

    @Override
    public List<Linear> targetLinears(List<String> targetModules) {
        List<String> names = dev.robustsweep.trainers.trial.TargetModules.select(moduleNames(), targetModules, "encoder");
        List<Linear> out = new ArrayList<>();
        for (EncoderLayer layer : encoder.layers) {
            for (String name : names) out.add(layer.targetLinears().get(name));
        }
        return out;
    }

    /** PEFT's modules_to_save for SEQ_CLS: the {@code classifier} module (BERT's pooler stays frozen). */
    @Override
    public List<Parameter> alwaysTrainedParameters() {
        return head.classifierParameters();
    }

    /** Every base parameter (encoder and head, BERT's pooler included), adapters excluded. */
    @Override
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
        out.addAll(head.parameters());
        return out;
    }

    /** Base parameters plus those of every installed adapter. */
    @Override
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
