package dev.robustsweep.trainers.adapters.dora;

import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.trial.LoraSettings;
import java.util.SplittableRandom;

/** DoRA on the target linears (m, A, B trainable); everything else frozen except the head. */
public final class DoraMethod implements AdaptationMethod {
    private final LoraSettings settings;
    private final NDManager manager;
    private final long seed;

    public DoraMethod(LoraSettings settings, NDManager manager, long seed) {
        this.settings = settings;
        this.manager = manager;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "dora";
    }

    @Override
    public void apply(AdaptableModel model) {
        // same stream as LoRA: with the same seed DoRA's A equals LoRA's A
        SplittableRandom rng = new SplittableRandom(seed ^ 0x4C6F5241L);
        TargetLinears.install(model, settings.targetModules, linear -> DoraAdapter.create(linear, settings.r,
                settings.loraAlpha, settings.useRslora, settings.loraDropout, manager, rng));
    }
}
