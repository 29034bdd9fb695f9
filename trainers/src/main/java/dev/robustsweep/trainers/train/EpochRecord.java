package dev.robustsweep.trainers.train;

import java.util.Map;

/** What one epoch produced: mean training loss, validation scores, mean extra-loss terms. */
public record EpochRecord(int epoch, double trainLoss, ClassificationMetrics metrics, int steps,
                          Map<String, Double> extraLosses, double trainSeconds, double evalSeconds) {}
