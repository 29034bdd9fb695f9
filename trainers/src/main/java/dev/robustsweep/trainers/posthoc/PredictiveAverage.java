package dev.robustsweep.trainers.posthoc;

import java.util.List;

/**
 * The Bayesian model average of several predictive distributions on the same examples:
 * p(y|x) = (1/S) sum_s p_s(y|x) (MC dropout over dropout masks, checkpoint ensembles over epochs).
 */
public final class PredictiveAverage {
    private PredictiveAverage() {}

    public static Predictions of(List<Predictions> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("an average needs at least one predictive");
        Predictions first = members.get(0);
        double[] mean = new double[first.logProbs().length];
        for (Predictions p : members) {
            if (p.logProbs().length != mean.length) throw new IllegalArgumentException("predictives of different sizes");
            for (int i = 0; i < mean.length; i++) mean[i] += Math.exp(p.logProbs()[i]) / members.size();
        }
        return first.withProbabilities(mean);
    }
}
