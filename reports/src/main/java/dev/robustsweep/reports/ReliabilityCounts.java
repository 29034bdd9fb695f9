package dev.robustsweep.reports;

/**
 * The reliability-diagram counts of one trial (result.json metrics.reliability): per top-label
 * confidence bin (equal width, upper edge inclusive) the number of examples, of correct ones, and
 * the sum of confidences. Counts add over trials, so a method's diagram pools its grid points.
 */
public record ReliabilityCounts(String task, String method, long[] counts, long[] correct, double[] confidenceSum) {

    /** Number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Adds another trial's counts (same number of bins) to running totals {@code into}. */
    public static void add(long[] counts, long[] correct, double[] confidenceSum, ReliabilityCounts r) {
        for (int b = 0; b < counts.length; b++) {
            counts[b] += r.counts[b];
            correct[b] += r.correct[b];
            confidenceSum[b] += r.confidenceSum[b];
        }
    }
}
