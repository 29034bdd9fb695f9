package dev.robustsweep.trainers.posthoc;

/**
 * A model's predictive distribution on a split: row-major [n, k] log-probabilities and the gold labels.
 */
public record Predictions(float[] logProbs, int[] gold, int k) {
    public int size() {
        return gold.length;
    }

    /** Probabilities exp(log p) as doubles. */
    public double[] probabilities() {
        double[] p = new double[logProbs.length];
        for (int i = 0; i < p.length; i++) p[i] = Math.exp(logProbs[i]);
        return p;
    }

    /** The predictive whose probabilities are {@code probs} (an average of several), same gold labels. */
    public Predictions withProbabilities(double[] probs) {
        float[] lp = new float[probs.length];
        for (int i = 0; i < probs.length; i++) lp[i] = (float) Math.log(probs[i]);
        return new Predictions(lp, gold, k);
    }
}
