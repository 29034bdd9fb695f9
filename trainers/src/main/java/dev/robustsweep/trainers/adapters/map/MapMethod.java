package dev.robustsweep.trainers.adapters.map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.adapters.lora.LoraMethod;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.Scalars;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.trial.LoraSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MAP (Laplace-LoRA's baseline, method-spec.md section 9): LoRA trained with a zero-mean Gaussian prior
 * on the LoRA weights A and B, i.e. the loss gains (w / 2) sum theta^2 (L2 weight decay on them; with
 * the mean NLL as data term this is the prior precision w x n_train). Same adapters and
 * initialisation as {@code lora} with the same seed.
 */
public final class MapMethod implements AdaptationMethod {
    private final LoraMethod lora;
    private final LoraSettings settings;
    private final double weightDecay;
    private final List<Parameter> loraWeights = new ArrayList<>();

    public MapMethod(LoraSettings settings, double weightDecay, NDManager manager, long seed) {
        this.lora = new LoraMethod(settings, manager, seed);
        this.settings = settings;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "map";
    }

    @Override
    public void apply(AdaptableModel model) {
        lora.apply(model);
        for (Linear l : TargetLinears.of(model, settings.targetModules)) loraWeights.addAll(l.adapter().parameters());
    }

    /** "gaussian_prior": (w / 2) sum over A, B of theta^2, in the step's graph so that it has a gradient. */
    @Override
    public Map<String, NDArray> extraLosses() {
        if (weightDecay == 0 || loraWeights.isEmpty()) return Map.of();
        NDArray sum = null;
        for (Parameter p : loraWeights) {
            NDArray sq = p.array().square().sum();
            sum = sum == null ? sq : sum.add(sq);
        }
        return Map.of("gaussian_prior", sum.mul(Scalars.of(sum, weightDecay / 2)));
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("map_weight_decay", weightDecay);
    }
}
