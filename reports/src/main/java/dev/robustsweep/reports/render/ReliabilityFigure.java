package dev.robustsweep.reports.render;

/**
 * Reliability diagram (Guo et al. 2017; paper Table 7's calibration): for each top-label confidence
 * bin with examples, a bar of height = accuracy in the bin, a dot at the bin's mean confidence, and
 * the diagonal of perfect calibration. The ECE of the pooled counts is printed in the title.
 */
final class ReliabilityFigure {
    private static final int W = 300;
    private static final int H = 300;
    private static final int LEFT = 44;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private ReliabilityFigure() {
    }

    /** Pooled ECE: sum over bins of |correct_b - confidence_sum_b| / n. */
    static double ece(long[] counts, long[] correct, double[] confidenceSum) {
        long n = 0;
        double gap = 0;
        for (int b = 0; b < counts.length; b++) {
            n += counts[b];
            if (counts[b] > 0) {
                gap += Math.abs(correct[b] - confidenceSum[b]);
            }
        }
        return n == 0 ? Double.NaN : gap / n;
    }

    static String svg(String title, long[] counts, long[] correct, double[] confidenceSum, String colour) {
        int bins = counts.length;
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator x = v -> LEFT + plotW * v;
        java.util.function.DoubleUnaryOperator y = v -> TOP + plotH * (1 - v);
        Svg s = new Svg(W, H, "Reliability diagram of " + title);
        s.text(W / 2.0, 18, title + "  (ECE " + Numbers.table(ece(counts, correct, confidenceSum)) + ")", "middle", 12,
                "font-weight=\"bold\"");
        for (int t = 0; t <= 4; t++) {
            double v = t / 4.0;
            s.line(LEFT, y.applyAsDouble(v), W - RIGHT, y.applyAsDouble(v), "#e5e5e5", 1);
            s.text(LEFT - 6, y.applyAsDouble(v) + 4, Numbers.label(v), "end", 10, null);
            s.text(x.applyAsDouble(v), H - BOTTOM + 14, Numbers.label(v), "middle", 10, null);
        }
        s.line(LEFT, TOP, LEFT, H - BOTTOM, "#333333", 1).line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#333333", 1);
        s.text(W / 2.0, H - 8, "confidence (top label)", "middle", 10, null);
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) {
                continue;
            }
            double acc = (double) correct[b] / counts[b];
            double conf = confidenceSum[b] / counts[b];
            double x0 = x.applyAsDouble((double) b / bins);
            double width = plotW / bins;
            s.rect(x0 + 1, y.applyAsDouble(acc), width - 2, y.applyAsDouble(0) - y.applyAsDouble(acc), colour, "#333333",
                    String.format(java.util.Locale.ROOT, "bin %d/%d: n=%d, accuracy %.3f, mean confidence %.3f",
                            b + 1, bins, counts[b], acc, conf));
            s.circle(x.applyAsDouble(conf), y.applyAsDouble(conf), 2.5, "#D55E00");
        }
        s.line(x.applyAsDouble(0), y.applyAsDouble(0), x.applyAsDouble(1), y.applyAsDouble(1), "#888888", 1);
        return s.end();
    }
}
