package dev.robustsweep.trainers.adapters;

import dev.robustsweep.trainers.model.AdaptableModel;

/** Full fine-tuning: every weight of the encoder and the head trains. */
public final class FullFineTuning implements AdaptationMethod {
    @Override
    public String name() {
        return "full_ft";
    }

    @Override
    public void apply(AdaptableModel model) {
        TargetLinears.setAll(model.baseParameters(), true);
    }
}
