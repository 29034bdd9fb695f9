package dev.robustsweep.reports.render;

import dev.robustsweep.reports.stats.Quantile;
import java.util.Arrays;
import java.util.List;

/**
 * Box plot of the score distribution over the grid, one box per method, for one task and metric
 * (paper Figures 1, 4, 5): box = Q1..Q3, line = median, whiskers = most extreme scores within
 * 1.5 IQR of the box, dots = scores beyond (at most {@link #MAX_OUTLIERS} drawn).
 */
final class BoxPlotFigure {
    static final int MAX_OUTLIERS = 100;
    private static final int W = 460;
    private static final int H = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 48;

    private BoxPlotFigure() {
    }

    /** values.get(m) are the scores of methods.get(m) (NaN ignored). */
    static String svg(String task, String metric, List<String> methods, List<double[]> values, List<String> allMethods) {
        return svg(task, metric, methods, values, allMethods, Double.NaN);
    }

    /** ... with a dashed horizontal reference line at {@code reference} (the no-skill baseline; NaN for none). */
    static String svg(String task, String metric, List<String> methods, List<double[]> values, List<String> allMethods,
                      double reference) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[][] sorted = new double[values.size()][];
        for (int m = 0; m < values.size(); m++) {
            sorted[m] = Arrays.stream(values.get(m)).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (sorted[m].length > 0) {
                lo = Math.min(lo, sorted[m][0]);
                hi = Math.max(hi, sorted[m][sorted[m].length - 1]);
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            lo = 0;
            hi = 1;
        }
        if (!Double.isNaN(reference)) {
            lo = Math.min(lo, reference);
            hi = Math.max(hi, reference);
        }
        double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(lo) * 0.05, 0.01);
        lo -= pad;
        hi += pad;
        double plotH = H - TOP - BOTTOM;
        double yLo = lo;
        double yHi = hi;
        java.util.function.DoubleUnaryOperator y = v -> TOP + plotH * (1 - (v - yLo) / (yHi - yLo));
        Svg s = new Svg(W, H, "Box plot of " + metric + " on " + task);
        s.text(W / 2.0, 18, task + ": " + metric + " over the grid", "middle", 13, "font-weight=\"bold\"");
        for (double t : Svg.ticks(lo, hi)) {
            s.line(LEFT, y.applyAsDouble(t), W - RIGHT, y.applyAsDouble(t), "#e5e5e5", 1);
            s.text(LEFT - 6, y.applyAsDouble(t) + 4, Numbers.label(t), "end", 10, null);
        }
        s.line(LEFT, TOP, LEFT, H - BOTTOM, "#333333", 1).line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#333333", 1);
        if (!Double.isNaN(reference)) {
            double ry = y.applyAsDouble(reference);
            s.polyline(new StringBuilder().append(LEFT).append(',').append(ry).append(' ').append(W - RIGHT).append(',').append(ry),
                    "#b00020", 1.2, true, "no-skill baseline " + Numbers.label(reference));
        }
        double slot = (W - LEFT - RIGHT) / (double) Math.max(methods.size(), 1);
        for (int m = 0; m < methods.size(); m++) {
            double cx = LEFT + slot * (m + 0.5);
            String colour = Svg.PALETTE[Math.max(allMethods.indexOf(methods.get(m)), 0) % Svg.PALETTE.length];
            s.text(cx, H - BOTTOM + 16, methods.get(m), "middle", 11, null);
            s.text(cx, H - BOTTOM + 30, "n=" + sorted[m].length, "middle", 9, "fill=\"#666666\"");
            double[] v = sorted[m];
            if (v.length == 0) {
                continue;
            }
            double q1 = Quantile.ofSorted(v, 0.25);
            double q3 = Quantile.ofSorted(v, 0.75);
            double med = Quantile.median(v);
            double fenceLo = q1 - 1.5 * (q3 - q1);
            double fenceHi = q3 + 1.5 * (q3 - q1);
            double whiskerLo = Arrays.stream(v).filter(x -> x >= fenceLo).min().orElse(q1);
            double whiskerHi = Arrays.stream(v).filter(x -> x <= fenceHi).max().orElse(q3);
            double half = Math.min(slot * 0.3, 36);
            s.line(cx, y.applyAsDouble(whiskerLo), cx, y.applyAsDouble(q1), colour, 1.5);
            s.line(cx, y.applyAsDouble(q3), cx, y.applyAsDouble(whiskerHi), colour, 1.5);
            s.line(cx - half / 2, y.applyAsDouble(whiskerLo), cx + half / 2, y.applyAsDouble(whiskerLo), colour, 1.5);
            s.line(cx - half / 2, y.applyAsDouble(whiskerHi), cx + half / 2, y.applyAsDouble(whiskerHi), colour, 1.5);
            s.rect(cx - half, y.applyAsDouble(q3), 2 * half, Math.max(y.applyAsDouble(q1) - y.applyAsDouble(q3), 1),
                    colour + "55", colour, methods.get(m) + ": median " + Numbers.label(med) + ", IQR "
                            + Numbers.label(q1) + " to " + Numbers.label(q3));
            s.line(cx - half, y.applyAsDouble(med), cx + half, y.applyAsDouble(med), "#111111", 2);
            int drawn = 0;
            for (double x : v) {
                if ((x < fenceLo || x > fenceHi) && drawn++ < MAX_OUTLIERS) {
                    s.circle(cx, y.applyAsDouble(x), 2.5, colour);
                }
            }
        }
        return s.end();
    }
}
