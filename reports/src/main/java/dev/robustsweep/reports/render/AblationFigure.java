package dev.robustsweep.reports.render;

import dev.robustsweep.reports.Ablations;
import dev.robustsweep.reports.ScoreTable;
import dev.robustsweep.reports.stats.Quantile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;

/**
 * Paper Figures 6-9: a metric over each ablated setting. x = the setting's values, one line per base
 * method (e.g. lora and monteclora over target_modules), y = the variant's median score over the grid
 * points of each task, averaged over the tasks it ran.
 */
public final class AblationFigure {
    /** Spreads of the plotted medians below this are not resolved on the axis (labels of at most 6 decimals). */
    static final double FLAT = 1e-6;

    private AblationFigure() {
    }

    /** The HTML section: one figure per ablated setting and metric; "" when there is none. */
    public static String html(Ablations ablations, ScoreTable scores, List<String> metrics, List<String> methods) {
        if (ablations.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<h2>Ablations (paper Figures 6-9)</h2><p class=\"small\">Per ablated setting "
                + "(a variant that differs from its base method in that setting only): the variant's median over the grid "
                + "of each task, averaged over tasks.</p><div class=\"figs\">\n");
        int n = 0;
        for (Map.Entry<String, Map<String, Map<String, String>>> axis : ablations.axes().entrySet()) {
            for (String metric : metrics) {
                sb.append("<figure data-figure=\"ablation\" id=\"fig-ablation-").append(n++).append("\">")
                        .append(svg(axis.getKey(), axis.getValue(), scores, metric, methods))
                        .append("<figcaption>").append(Svg.escape("Median " + metric + " over " + axis.getKey()))
                        .append("</figcaption></figure>\n");
            }
        }
        return sb.append("</div>\n").toString();
    }

    /** Across-task mean of the per-task median of {@code variant}'s scores; NaN when it has none. */
    static double medianScore(ScoreTable scores, String variant, String metric) {
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        double[] v = scores.table().doubleColumn(metric).asDoubleArray();
        Map<String, List<Double>> byTask = new java.util.LinkedHashMap<>();
        for (int i = 0; i < scores.rows(); i++) {
            if (methodCol.get(i).equals(variant) && !Double.isNaN(v[i])) {
                byTask.computeIfAbsent(taskCol.get(i), k -> new ArrayList<>()).add(v[i]);
            }
        }
        return byTask.values().stream().mapToDouble(xs -> Quantile.median(xs.stream().mapToDouble(Double::doubleValue).sorted().toArray()))
                .average().orElse(Double.NaN);
    }

    static String svg(String key, Map<String, Map<String, String>> series, ScoreTable scores, String metric, List<String> methods) {
        LinkedHashSet<String> values = new LinkedHashSet<>();
        series.values().forEach(points -> values.addAll(points.keySet()));
        List<String> xs = new ArrayList<>(values);
        boolean numeric = xs.stream().allMatch(s -> s.matches("-?[0-9.eE+-]+"));
        if (numeric) {
            xs.sort(java.util.Comparator.comparingDouble(Double::parseDouble));
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        Map<String, double[]> ys = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> s : series.entrySet()) {
            double[] y = new double[xs.size()];
            for (int i = 0; i < xs.size(); i++) {
                String variant = s.getValue().get(xs.get(i));
                y[i] = variant == null ? Double.NaN : medianScore(scores, variant, metric);
                if (!Double.isNaN(y[i])) {
                    lo = Math.min(lo, y[i]);
                    hi = Math.max(hi, y[i]);
                }
            }
            ys.put(s.getKey(), y);
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        // a spread under 1e-6 (float noise between variants that learned nothing) is drawn as a flat line
        double pad = hi - lo >= FLAT ? (hi - lo) * 0.1 : Math.max(Math.abs(lo) * 0.05, 0.01);
        double yLo = lo - pad;
        double yHi = hi + pad;
        int w = 440;
        int h = 280;
        double left = 56;
        double top = 28;
        double plotH = h - top - 60;
        java.util.function.DoubleUnaryOperator y = val -> top + plotH * (1 - (val - yLo) / (yHi - yLo));
        Svg s = new Svg(w, h, "Median " + metric + " over " + key);
        s.text(w / 2.0, 18, "median " + metric + " over " + key, "middle", 13, "font-weight=\"bold\"");
        double[] ticks = Svg.ticks(yLo, yHi);
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 0;
        for (double t : ticks) {
            s.line(left, y.applyAsDouble(t), w - 10, y.applyAsDouble(t), "#e5e5e5", 1);
            s.text(left - 6, y.applyAsDouble(t) + 4, Numbers.tickLabel(t, step), "end", 10, null);
        }
        s.line(left, top, left, top + plotH, "#333333", 1).line(left, top + plotH, w - 10, top + plotH, "#333333", 1);
        double slot = (w - left - 10) / xs.size();
        for (int i = 0; i < xs.size(); i++) {
            s.text(left + slot * (i + 0.5), top + plotH + 16, xs.get(i), "middle", 10, null);
        }
        s.text(left + (w - left - 10) / 2, top + plotH + 32, key, "middle", 11, null);
        double legendX = left;
        for (Map.Entry<String, double[]> e : ys.entrySet()) {
            String colour = Svg.PALETTE[Math.max(methods.indexOf(e.getKey()), 0) % Svg.PALETTE.length];
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < xs.size(); i++) {
                double v = e.getValue()[i];
                if (!Double.isNaN(v)) {
                    double px = left + slot * (i + 0.5);
                    pts.append(pts.length() == 0 ? "" : " ").append(Svg.f(px)).append(',').append(Svg.f(y.applyAsDouble(v)));
                    s.circle(px, y.applyAsDouble(v), 4, colour);
                }
            }
            if (pts.length() > 0) {
                s.polyline(pts, colour, 2, false, e.getKey() + " over " + key);
            }
            s.rect(legendX, h - 16, 10, 10, colour, null, null);
            s.text(legendX + 14, h - 7, e.getKey(), "start", 10, null);
            legendX += 30 + 6.5 * e.getKey().length();
        }
        return s.end();
    }
}
