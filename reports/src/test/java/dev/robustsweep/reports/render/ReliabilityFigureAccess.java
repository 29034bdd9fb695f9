package dev.robustsweep.reports.render;

/** Test access to the package-private pooled ECE of {@link ReliabilityFigure}. */
public final class ReliabilityFigureAccess {
    private ReliabilityFigureAccess() {
    }

    public static double ece(long[] counts, long[] correct, double[] confidenceSum) {
        return ReliabilityFigure.ece(counts, correct, confidenceSum);
    }
}
