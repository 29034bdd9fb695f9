package dev.robustsweep.reports.render;

import dev.robustsweep.reports.ComparisonFamily;
import dev.robustsweep.reports.Metric;
import dev.robustsweep.reports.RankComparisons;
import dev.robustsweep.reports.RobustnessIntervals;
import dev.robustsweep.reports.RobustnessRow;
import dev.robustsweep.reports.ScoreTable;
import dev.robustsweep.reports.stats.BootstrapInterval;
import dev.robustsweep.reports.stats.FriedmanResult;
import dev.robustsweep.reports.stats.Quantile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tech.tablesaw.api.StringColumn;

/**
 * The report.html figures of issue 12: robustness with bootstrap error bars, critical-difference
 * diagrams (Demsar 2006) of the Friedman / Nemenyi analyses, and the paper's Figure 4 (box plots of
 * accuracy and NLL per task and method, all tasks in one figure).
 */
public final class InferenceFigures {
    private InferenceFigures() {
    }

    /** The HTML sections (figures carry data-figure, so the in-page render check sees them). */
    public static String html(ScoreTable scores, List<String> metrics, List<String> tasks, List<String> methods,
                              RobustnessIntervals intervals, List<RankComparisons.Analysis> friedman, double confidence) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        if (!intervals.robustness().isEmpty()) {
            sb.append("<h2>Robustness with ").append(Math.round(confidence * 100)).append("% bootstrap intervals</h2>")
                    .append("<div class=\"figs\">\n");
            for (String m : metrics) {
                figure(sb, "interval", "fig-ci-" + n++, intervalSvg(m, tasks, methods, intervals),
                        "Robustness (" + new Metric(m).robustnessLabel() + ") per task and method; bars: percentile bootstrap interval");
            }
            sb.append("</div>\n");
        }
        List<RankComparisons.Analysis> tested = friedman.stream().filter(a -> a.result().tested()).toList();
        if (!tested.isEmpty()) {
            sb.append("<h2>Critical-difference diagrams (Friedman / Nemenyi)</h2><p class=\"small\">Mean rank per method "
                    + "(1 = best); methods joined by a bar do not differ by Nemenyi's critical difference CD. Nemenyi compares "
                    + "every method with every other; the Wilcoxon + Holm table answers whether the reference beats each "
                    + "other method.</p><div class=\"figs\">\n");
            n = 0;
            for (RankComparisons.Analysis a : tested) {
                FriedmanResult r = a.result();
                String where = a.family() == ComparisonFamily.FRIEDMAN_ACROSS_TASKS ? "across " + r.blocks() + " tasks"
                        : a.task() + ", " + r.blocks() + " grid points";
                figure(sb, "cd", "fig-cd-" + n++, cdSvg(a.metric() + ", " + where, a.methods(), r.meanRanks(), r.criticalDifference()),
                        "Mean ranks of " + a.metric() + " " + where + ": Friedman chi2 = " + Numbers.label(r.chiSquare())
                                + ", p = " + Numbers.p(r.pValue()) + "; Iman-Davenport F = " + Numbers.label(r.imanDavenportF())
                                + ", p = " + Numbers.p(r.imanDavenportP()) + "; CD = " + Numbers.label(r.criticalDifference()));
            }
            sb.append("</div>\n");
        }
        List<String> fig4 = metrics.stream().filter(m -> m.equals("accuracy") || m.equals(Metric.NLL)).toList();
        if (!fig4.isEmpty()) {
            sb.append("<h2>Figure 4: score distributions of every task in one figure</h2><div class=\"figs\">\n");
            n = 0;
            for (String m : fig4) {
                figure(sb, "box-all-tasks", "fig-box4-" + n++, allTasksBoxSvg(scores, m, tasks, methods),
                        "Distribution of " + m + " over the grid, per task (groups) and method (colours)");
            }
            sb.append("</div>\n");
        }
        return sb.toString();
    }

    private static void figure(StringBuilder sb, String kind, String id, String svg, String caption) {
        sb.append("<figure data-figure=\"").append(kind).append("\" id=\"").append(id).append("\">").append(svg)
                .append("<figcaption>").append(Svg.escape(caption)).append("</figcaption></figure>\n");
    }

    /** Dots at each task x method robustness, vertical bars from the lower to the upper bootstrap bound. */
    static String intervalSvg(String metric, List<String> tasks, List<String> methods, RobustnessIntervals intervals) {
        List<String> columns = new ArrayList<>(tasks);
        columns.add(RobustnessRow.AVERAGE);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String c : columns) {
            for (String m : methods) {
                BootstrapInterval ci = intervals.robustness(c, m, metric);
                for (double v : new double[] {ci.estimate(), ci.lower(), ci.upper()}) {
                    if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        double pad = hi > lo ? (hi - lo) * 0.06 : 0.01;
        double yLo = lo - pad;
        double yHi = hi + pad;
        int w = Math.max(420, 70 + columns.size() * (16 * methods.size() + 24));
        int h = 300;
        double left = 56;
        double top = 28;
        double plotH = h - top - 56;
        java.util.function.DoubleUnaryOperator y = v -> top + plotH * (1 - (v - yLo) / (yHi - yLo));
        Svg s = new Svg(w, h, "Robustness of " + metric + " with bootstrap intervals");
        s.text(w / 2.0, 18, new Metric(metric).robustnessLabel() + " with bootstrap intervals", "middle", 13, "font-weight=\"bold\"");
        for (double t : Svg.ticks(yLo, yHi)) {
            s.line(left, y.applyAsDouble(t), w - 10, y.applyAsDouble(t), "#e5e5e5", 1);
            s.text(left - 6, y.applyAsDouble(t) + 4, Numbers.label(t), "end", 10, null);
        }
        s.line(left, top, left, top + plotH, "#333333", 1).line(left, top + plotH, w - 10, top + plotH, "#333333", 1);
        double slot = (w - left - 10) / columns.size();
        for (int c = 0; c < columns.size(); c++) {
            double x0 = left + slot * c;
            s.text(x0 + slot / 2, top + plotH + 16, columns.get(c), "middle", 11, null);
            for (int m = 0; m < methods.size(); m++) {
                BootstrapInterval ci = intervals.robustness(columns.get(c), methods.get(m), metric);
                if (Double.isNaN(ci.estimate())) {
                    continue;
                }
                double x = x0 + slot * (m + 1) / (methods.size() + 1.0);
                String colour = Svg.PALETTE[m % Svg.PALETTE.length];
                if (ci.defined()) {
                    s.line(x, y.applyAsDouble(ci.lower()), x, y.applyAsDouble(ci.upper()), colour, 2);
                    s.line(x - 3, y.applyAsDouble(ci.lower()), x + 3, y.applyAsDouble(ci.lower()), colour, 1.5);
                    s.line(x - 3, y.applyAsDouble(ci.upper()), x + 3, y.applyAsDouble(ci.upper()), colour, 1.5);
                }
                s.rect(x - 3.5, y.applyAsDouble(ci.estimate()) - 3.5, 7, 7, colour, "#111111", methods.get(m) + " on "
                        + columns.get(c) + ": " + Numbers.withInterval(ci.estimate(), ci.lower(), ci.upper()));
            }
        }
        legend(s, methods, left, h - 18);
        return s.end();
    }

    /** Demsar's diagram: a rank axis 1..k, each method's mean rank, bars over groups closer than CD. */
    static String cdSvg(String title, List<String> methods, double[] meanRanks, double cd) {
        int k = methods.size();
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> meanRanks[i]));
        int w = 560;
        double left = 150;
        double right = w - 150;
        int half = (k + 1) / 2;
        int h = 110 + 18 * half;
        double axisY = 56;
        java.util.function.DoubleUnaryOperator x = r -> left + (right - left) * (r - 1) / Math.max(k - 1, 1);
        Svg s = new Svg(w, h, "Critical-difference diagram: " + title);
        s.text(w / 2.0, 16, title, "middle", 12, "font-weight=\"bold\"");
        s.line(left, axisY, right, axisY, "#333333", 1.5);
        for (int r = 1; r <= k; r++) {
            s.line(x.applyAsDouble(r), axisY - 5, x.applyAsDouble(r), axisY, "#333333", 1);
            s.text(x.applyAsDouble(r), axisY - 8, Integer.toString(r), "middle", 10, null);
        }
        if (!Double.isNaN(cd)) { // the CD as a ruler above the axis
            double len = x.applyAsDouble(1 + Math.min(cd, k - 1)) - x.applyAsDouble(1);
            s.line(left, 30, left + len, 30, "#B00020", 2);
            s.text(left + len + 6, 34, "CD = " + Numbers.label(cd), "start", 10, "fill=\"#B00020\"");
        }
        // groups: maximal runs of methods (in rank order) whose mean ranks differ by less than CD
        int bars = 0;
        int lastEnd = -1;
        for (int i = 0; i < k; i++) {
            int j = i;
            while (j + 1 < k && meanRanks[order[j + 1]] - meanRanks[order[i]] < cd) {
                j++;
            }
            if (j > i && j > lastEnd) {
                double yBar = axisY + 8 + 5 * bars++;
                s.line(x.applyAsDouble(meanRanks[order[i]]) - 3, yBar, x.applyAsDouble(meanRanks[order[j]]) + 3, yBar, "#111111", 3);
                lastEnd = j;
            }
        }
        double labelTop = axisY + 14 + 5 * bars;
        for (int p = 0; p < k; p++) {
            int i = order[p];
            boolean leftSide = p < half;
            int row = leftSide ? p : k - 1 - p;
            double ly = labelTop + 18 * row + 10;
            double xr = x.applyAsDouble(meanRanks[i]);
            String colour = Svg.PALETTE[i % Svg.PALETTE.length];
            s.line(xr, axisY, xr, ly, colour, 1.5);
            double xEnd = leftSide ? left - 10 : right + 10;
            s.line(xr, ly, xEnd, ly, colour, 1.5);
            s.text(leftSide ? xEnd - 4 : xEnd + 4, ly + 4, methods.get(i) + " (" + Numbers.label(meanRanks[i]) + ")",
                    leftSide ? "end" : "start", 11, null);
        }
        return s.end();
    }

    /** Paper Figure 4: one box per method within each task's group, one figure for all tasks. */
    static String allTasksBoxSvg(ScoreTable scores, String metric, List<String> tasks, List<String> methods) {
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        double[] v = scores.table().doubleColumn(metric).asDoubleArray();
        double[][][] sorted = new double[tasks.size()][methods.size()][];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < tasks.size(); t++) {
            for (int m = 0; m < methods.size(); m++) {
                List<Double> xs = new ArrayList<>();
                for (int i = 0; i < scores.rows(); i++) {
                    if (taskCol.get(i).equals(tasks.get(t)) && methodCol.get(i).equals(methods.get(m)) && !Double.isNaN(v[i])) {
                        xs.add(v[i]);
                    }
                }
                sorted[t][m] = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                if (sorted[t][m].length > 0) {
                    lo = Math.min(lo, sorted[t][m][0]);
                    hi = Math.max(hi, sorted[t][m][sorted[t][m].length - 1]);
                }
            }
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        double pad = hi > lo ? (hi - lo) * 0.05 : 0.01;
        double yLo = lo - pad;
        double yHi = hi + pad;
        int w = Math.max(460, 70 + tasks.size() * (20 * methods.size() + 28));
        int h = 320;
        double left = 56;
        double top = 28;
        double plotH = h - top - 58;
        java.util.function.DoubleUnaryOperator y = val -> top + plotH * (1 - (val - yLo) / (yHi - yLo));
        Svg s = new Svg(w, h, "Figure 4: " + metric + " per task and method");
        s.text(w / 2.0, 18, metric + " over the grid, every task", "middle", 13, "font-weight=\"bold\"");
        for (double t : Svg.ticks(yLo, yHi)) {
            s.line(left, y.applyAsDouble(t), w - 10, y.applyAsDouble(t), "#e5e5e5", 1);
            s.text(left - 6, y.applyAsDouble(t) + 4, Numbers.label(t), "end", 10, null);
        }
        s.line(left, top, left, top + plotH, "#333333", 1).line(left, top + plotH, w - 10, top + plotH, "#333333", 1);
        double slot = (w - left - 10) / tasks.size();
        for (int t = 0; t < tasks.size(); t++) {
            double x0 = left + slot * t;
            s.text(x0 + slot / 2, top + plotH + 16, tasks.get(t), "middle", 11, null);
            double box = slot / (methods.size() + 1.0);
            for (int m = 0; m < methods.size(); m++) {
                double[] xs = sorted[t][m];
                if (xs.length == 0) {
                    continue;
                }
                double cx = x0 + box * (m + 1);
                double q1 = Quantile.ofSorted(xs, 0.25);
                double q3 = Quantile.ofSorted(xs, 0.75);
                double med = Quantile.median(xs);
                double whiskerLo = Arrays.stream(xs).filter(a -> a >= q1 - 1.5 * (q3 - q1)).min().orElse(q1);
                double whiskerHi = Arrays.stream(xs).filter(a -> a <= q3 + 1.5 * (q3 - q1)).max().orElse(q3);
                String colour = Svg.PALETTE[m % Svg.PALETTE.length];
                double half = Math.min(box * 0.35, 14);
                s.line(cx, y.applyAsDouble(whiskerLo), cx, y.applyAsDouble(whiskerHi), colour, 1.2);
                s.rect(cx - half, y.applyAsDouble(q3), 2 * half, Math.max(y.applyAsDouble(q1) - y.applyAsDouble(q3), 1),
                        colour + "55", colour, methods.get(m) + " on " + tasks.get(t) + ": median " + Numbers.label(med)
                                + ", IQR " + Numbers.label(q1) + " to " + Numbers.label(q3) + ", n=" + xs.length);
                s.line(cx - half, y.applyAsDouble(med), cx + half, y.applyAsDouble(med), "#111111", 2);
            }
        }
        legend(s, methods, left, h - 18);
        return s.end();
    }

    private static void legend(Svg s, List<String> methods, double x, double y) {
        double at = x;
        for (int m = 0; m < methods.size(); m++) {
            s.rect(at, y - 8, 10, 10, Svg.PALETTE[m % Svg.PALETTE.length], null, null);
            s.text(at + 14, y + 1, methods.get(m), "start", 10, null);
            at += 24 + 6.5 * methods.get(m).length();
        }
    }
}
