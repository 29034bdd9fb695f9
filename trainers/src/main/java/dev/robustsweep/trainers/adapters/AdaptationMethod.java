package dev.robustsweep.trainers.adapters;

import ai.djl.ndarray.NDArray;
import dev.robustsweep.trainers.model.AdaptableModel;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuning method at the model level (PEFT's tuner model): it adapts the target linears,
 * decides what trains, and exposes the extra loss terms the trainer adds in one visible place.
 */
public interface AdaptationMethod {
    /** Method id: full_ft, lora, dora, adalora, monteclora. */
    String name();

    /** Installs adapters on the model and marks trainable parameters (the head always trains). */
    void apply(AdaptableModel model);

    /**
     * Extra loss terms of the step whose forward pass just ran, by name, each already weighted as it
     * enters the total loss (e.g. "orthogonal_regularizer", "kl", "cooperative"). Empty = none.
     */
    default Map<String, NDArray> extraLosses() {
        return Map.of();
    }

    /** Called after every optimizer step, with the 1-based step and the trial's total steps (AdaLoRA). */
    default void afterOptimizerStep(int step, int totalSteps) {}

    /** Called before every epoch (0-based), e.g. for MonteCLoRA's post-hoc schedule. */
    default void onEpochStart(int epoch, int epochs, AdaptableModel model) {}

    /**
     * The phases of a trial of {@code epochs} epochs, in order, covering every epoch; each starts a fresh
     * AdamW and schedule. Default: one phase at the trial's learning rate.
     */
    default List<TrainingPhase> phases(int epochs) {
        return List.of(new TrainingPhase(0, epochs, 1.0));
    }

    /** Method-specific state for the result file (AdaLoRA ranks, MonteCLoRA mixture weights...). */
    default Map<String, Object> state() {
        return Map.of();
    }

    /** Number of parameters the method adds beyond plain LoRA's A and B (MonteCLoRA: r + N per layer). */
    default long extraParameterCount() {
        return 0;
    }
}
