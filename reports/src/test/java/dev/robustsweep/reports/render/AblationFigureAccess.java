package dev.robustsweep.reports.render;

import dev.robustsweep.reports.ScoreTable;

/** Test access to AblationFigure's package-private median and Svg's axis ticks. */
public final class AblationFigureAccess {
    private AblationFigureAccess() {
    }

    public static double median(ScoreTable scores, String variant, String metric) {
        return AblationFigure.medianScore(scores, variant, metric);
    }

    public static double[] ticks(double lo, double hi) {
        return Svg.ticks(lo, hi);
    }
}
