package dev.robustsweep.trainers.train;

import java.util.List;

/**
 * How training ended: completed, or diverged (a NaN/inf loss or gradient at {@code divergedAtStep}).
 * {@code epochs} holds every finished evaluation; a diverged trial keeps the last of them.
 */
public record TrainingOutcome(boolean diverged, int divergedAtStep, List<EpochRecord> epochs,
                              List<double[]> lossCurve, int steps, long trainTokens, double trainSeconds, double evalSeconds) {
    public EpochRecord last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }
}
