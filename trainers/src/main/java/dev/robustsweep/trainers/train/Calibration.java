package dev.robustsweep.trainers.train;

import java.util.Arrays;

/**
 * Calibration of a classifier's predictive distribution (method-spec.md section 9; Guo et al. 2017):
 * expected calibration error over equal-width confidence bins of the top label, the Brier score, and
 * the per-bin counts a reliability diagram is drawn from.
 *
 * <p>Bin b (0-based) of B holds the examples whose top-label confidence lies in (b/B, (b+1)/B]: upper
 * edges inclusive, as in Guo et al.'s reference code, so a confidence exactly on an edge k/B goes to
 * bin k-1 (and confidence 0, impossible for a softmax, to bin 0).
 *
 * @param ece           sum over bins of |acc_b - conf_b| * n_b / n
 * @param brier         mean over examples of sum over classes of (p_c - onehot_c)^2
 * @param counts        examples per bin
 * @param correct       correctly classified examples per bin (top label = gold)
 * @param confidenceSum sum of top-label confidences per bin
 */
public record Calibration(double ece, double brier, long[] counts, long[] correct, double[] confidenceSum) {
    /** The paper's and Laplace-LoRA's bin count. */
    public static final int BINS = 15;

    /** @param probs row-major [n, k] probabilities; @param gold labels in [0, k) */
    public static Calibration compute(double[] probs, int[] gold, int k) {
        return compute(probs, gold, k, BINS);
    }

    public static Calibration compute(double[] probs, int[] gold, int k, int bins) {
        int n = gold.length;
        long[] counts = new long[bins];
        long[] correct = new long[bins];
        double[] confSum = new double[bins];
        double brier = 0;
        for (int i = 0; i < n; i++) {
            int top = 0;
            for (int c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + top]) top = c;
            double conf = probs[i * k + top];
            int b = bin(conf, bins);
            counts[b]++;
            if (top == gold[i]) correct[b]++;
            confSum[b] += conf;
            for (int c = 0; c < k; c++) {
                double d = probs[i * k + c] - (c == gold[i] ? 1 : 0);
                brier += d * d;
            }
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            // |acc_b - conf_b| * n_b / n = |correct_b - confSum_b| / n; an empty bin adds nothing
            if (counts[b] > 0) ece += Math.abs(correct[b] - confSum[b]) / n;
        }
        return new Calibration(ece, brier / n, counts, correct, confSum);
    }

    /** The bin of confidence {@code conf}: the smallest b with conf <= (b+1)/B (edges compared exactly as k/B). */
    static int bin(double conf, int bins) {
        int b = (int) Math.ceil(conf * bins) - 1;
        b = Math.max(0, Math.min(bins - 1, b));
        // conf * B may round across an edge: compare against the edge values themselves
        while (b > 0 && conf <= (double) b / bins) b--;
        while (b < bins - 1 && conf > (double) (b + 1) / bins) b++;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && ece == c.ece && brier == c.brier && Arrays.equals(counts, c.counts)
                && Arrays.equals(correct, c.correct) && Arrays.equals(confidenceSum, c.confidenceSum);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Double.hashCode(ece);
    }
}
