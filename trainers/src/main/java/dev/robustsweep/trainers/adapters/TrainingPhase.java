package dev.robustsweep.trainers.adapters;

/**
 * A run of epochs trained with its own optimizer and learning-rate schedule (warm-up and decay over the
 * phase's steps), as a separate Hugging Face Trainer would do. Post-hoc MonteCLoRA has two phases.
 *
 * @param firstEpoch             0-based first epoch of the phase
 * @param epochs                 epochs in the phase (> 0)
 * @param learningRateMultiplier the phase's peak learning rate / the trial's learning_rate
 */
public record TrainingPhase(int firstEpoch, int epochs, double learningRateMultiplier) {}
