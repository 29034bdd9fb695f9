package dev.robustsweep.trainers.adapters;

import dev.robustsweep.trainers.model.EncoderLayer;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.trial.TargetModules;
import java.util.ArrayList;
import java.util.List;

/** Finds the linears a method adapts, in a fixed order (layer by layer, then module order). */
public final class TargetLinears {
    private TargetLinears() {}

    public static List<Linear> of(SequenceClassifier model, List<String> targetModules) {
        List<Linear> out = new ArrayList<>();
        for (EncoderLayer layer : model.encoder().layers()) {
            for (String name : TargetModules.resolve(targetModules)) out.add(layer.targetLinears().get(name));
        }
        return out;
    }

    /**
     * Installs one adapter per target linear (made by {@code factory}, in the fixed order of
     * {@link #of}), makes its parameters trainable, and trains the head; returns the adapters.
     */
    public static <A extends Adapter> List<A> install(SequenceClassifier model, List<String> targetModules,
                                                      java.util.function.Function<Linear, A> factory) {
        List<A> adapters = new ArrayList<>();
        for (Linear linear : of(model, targetModules)) {
            A adapter = factory.apply(linear);
            linear.setAdapter(adapter);
            for (Parameter p : adapter.parameters()) p.setTrainable(true);
            adapters.add(adapter);
        }
        trainHead(model);
        return adapters;
    }

    /**
     * PEFT's modules_to_save for SEQ_CLS: the whole {@code classifier} module trains under every adapter
     * method (RoBERTa: classifier.dense and classifier.out_proj); BERT's pooler stays frozen.
     */
    public static void trainHead(SequenceClassifier model) {
        for (Parameter p : model.head().classifierParameters()) p.setTrainable(true);
    }

    /** Makes every parameter of the model (base and adapters) trainable or frozen. */
    public static void setAll(List<Parameter> parameters, boolean trainable) {
        for (Parameter p : parameters) p.setTrainable(trainable);
    }
}
