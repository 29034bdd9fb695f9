package dev.robustsweep.trainers.adapters;

import dev.robustsweep.trainers.model.SequenceClassifier;

/** Full fine-tuning: every weight of the encoder and the head trains. */
public final class FullFineTuning implements AdaptationMethod {
    @Override
    public String name() {
        return "full_ft";
    }

    @Override
    public void apply(SequenceClassifier model) {
        TargetLinears.setAll(model.baseParameters(), true);
    }
}
