package dev.robustsweep.trainers.adapters;

import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import java.util.ArrayList;
import java.util.List;

/** Finds the linears a method adapts, in a fixed order (layer by layer, then module order). */
public final class TargetLinears {
    private TargetLinears() {}

    public static List<Linear> of(AdaptableModel model, List<String> targetModules) {
        return model.targetLinears(targetModules);
    }

    /**
     * Installs one adapter per target linear (made by {@code factory}, in the fixed order of
     * {@link #of}), makes its parameters trainable, and trains the head; returns the adapters.
     */
    public static <A extends Adapter> List<A> install(AdaptableModel model, List<String> targetModules,
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
     * PEFT's modules_to_save: for SEQ_CLS the whole {@code classifier} module trains under every adapter
     * method (RoBERTa: classifier.dense and classifier.out_proj; BERT's pooler stays frozen); for
     * CAUSAL_LM nothing (the LM head stays frozen).
     */
    public static void trainHead(AdaptableModel model) {
        for (Parameter p : model.alwaysTrainedParameters()) p.setTrainable(true);
    }

    /** Makes every parameter of the model (base and adapters) trainable or frozen. */
    public static void setAll(List<Parameter> parameters, boolean trainable) {
        for (Parameter p : parameters) p.setTrainable(trainable);
    }
}
