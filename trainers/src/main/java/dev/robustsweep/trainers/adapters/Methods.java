package dev.robustsweep.trainers.adapters;

import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.adalora.AdaLoraMethod;
import dev.robustsweep.trainers.adapters.bottleneck.BottleneckMethod;
import dev.robustsweep.trainers.adapters.dora.DoraMethod;
import dev.robustsweep.trainers.adapters.lora.LoraMethod;
import dev.robustsweep.trainers.adapters.monteclora.MonteCLoraMethod;
import dev.robustsweep.trainers.trial.TrialConfig;

/** Chooses the {@link AdaptationMethod} a trial names (one place; each method lives in its own package). */
public final class Methods {
    private Methods() {}

    public static AdaptationMethod create(TrialConfig trial, NDManager manager, int totalSteps) {
        return switch (trial.method) {
            case "full_ft" -> new FullFineTuning();
            case "lora" -> new LoraMethod(trial.lora, manager, trial.seed);
            case "dora" -> new DoraMethod(trial.lora, manager, trial.seed);
            case "adalora" -> new AdaLoraMethod(trial.adalora, trial.lora, manager, trial.seed, totalSteps);
            case "monteclora" -> new MonteCLoraMethod(trial.monteclora, trial.lora, manager, trial.seed);
            case "adapter" -> new BottleneckMethod(trial.adapter, manager, trial.seed);
            case "map" -> new dev.robustsweep.trainers.adapters.map.MapMethod(trial.lora, trial.posthoc.mapWeightDecay, manager, trial.seed);
            // post-hoc baselines train the trial's own LoRA fine-tune; only their predictive differs (posthoc package)
            case "mc_dropout", "checkpoint_ensemble", "temperature", "laplace_lora", "llla" -> new LoraMethod(trial.lora, manager, trial.seed);
            default -> throw new IllegalArgumentException("method: '" + trial.method + "' is not available in this build");
        };
    }
}
