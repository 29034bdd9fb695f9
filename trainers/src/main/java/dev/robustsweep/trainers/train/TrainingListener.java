package dev.robustsweep.trainers.train;

/** Receives progress while a trial trains (the worker prints it; tests may record it). */
public interface TrainingListener {
    /** After an optimizer step (1-based) with that step's loss. */
    default void onStep(int epoch, int epochs, int step, int totalSteps, double loss) {}

    /** After an epoch's evaluation. */
    default void onEpoch(EpochRecord record) {}
}
