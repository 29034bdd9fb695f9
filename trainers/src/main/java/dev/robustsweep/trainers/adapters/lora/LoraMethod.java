package dev.robustsweep.trainers.adapters.lora;

import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.trial.LoraSettings;
import java.util.SplittableRandom;

/** LoRA on the target linears; everything else frozen except the classification head. */
public final class LoraMethod implements AdaptationMethod {
    private final LoraSettings settings;
    private final NDManager manager;
    private final long seed;

    public LoraMethod(LoraSettings settings, NDManager manager, long seed) {
        this.settings = settings;
        this.manager = manager;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "lora";
    }

    @Override
    public void apply(AdaptableModel model) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x4C6F5241L);
        TargetLinears.install(model, settings.targetModules, linear -> LoraAdapter.create(linear, settings.r,
                settings.loraAlpha, settings.useRslora, settings.loraDropout, manager, rng));
    }
}
