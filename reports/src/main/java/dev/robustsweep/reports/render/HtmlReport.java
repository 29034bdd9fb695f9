package dev.robustsweep.reports.render;

import dev.robustsweep.reports.ComparisonRow;
import dev.robustsweep.reports.LossCurve;
import dev.robustsweep.reports.Metric;
import dev.robustsweep.reports.ScoreTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tech.tablesaw.api.StringColumn;

/**
 * report.html: one self-contained offline file. Tables, box plots per task and method, a learning-rate
 * x batch-size heatmap per method, training-loss curves per trial. Every figure is inline SVG; a
 * Content-Security-Policy forbids any network fetch; a small inline script (no external code) checks
 * that every figure laid out and writes the outcome onto the body element, which the headless
 * Chromium test reads.
 */
public final class HtmlReport {
    /** Forbids every network load: only inline style/script and data: images. */
    public static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
            + "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}"
            + "table{border-collapse:collapse;margin:8px 0 20px}th,td{padding:3px 10px;border-bottom:1px solid #ddd;"
            + "text-align:right}th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #333}"
            + ".figs{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #eee;padding:4px}"
            + "figcaption{font-size:12px;color:#555}h2{margin-top:32px}.small{font-size:12px;color:#555}";

    /** First thing in the head: records script errors and blocked loads (CSP violations) from the start. */
    private static final String EARLY_WATCH = "window.__rs={errors:[],blocked:[]};window.addEventListener('error',"
            + "function(e){window.__rs.errors.push(String(e.message));});document.addEventListener('securitypolicyviolation',"
            + "function(e){window.__rs.blocked.push(e.blockedURI);});";

    /**
     * Checks each figure (an svg with a non-empty box and drawn elements) and writes onto the body: counts,
     * figure boxes in page coordinates, page height, script errors, blocked loads and fetched resources.
     */
    private static final String RENDER_CHECK = "(function(){function check(){var figs=document.querySelectorAll('figure[data-figure]');"
            + "var ok=0,bad=[],boxes=[];for(var i=0;i<figs.length;i++){var s=figs[i].querySelector('svg');"
            + "var b=s?s.getBoundingClientRect():null;var n=s?s.querySelectorAll('rect,line,polyline,circle,text').length:0;"
            + "if(b&&b.width>0&&b.height>0&&n>2){ok++;boxes.push([Math.round(b.left+window.scrollX),"
            + "Math.round(b.top+window.scrollY),Math.round(b.width),Math.round(b.height)].join(','));}else{bad.push(figs[i].id);}}"
            + "var d=document.body;d.setAttribute('data-figures-total',figs.length);d.setAttribute('data-figures-rendered',ok);"
            + "d.setAttribute('data-figures-bad',bad.join(' '));d.setAttribute('data-figure-boxes',boxes.join(';'));"
            + "d.setAttribute('data-page-height',document.documentElement.scrollHeight);"
            + "d.setAttribute('data-errors',window.__rs.errors.join(' | '));"
            + "d.setAttribute('data-blocked',window.__rs.blocked.join(' '));"
            + "d.setAttribute('data-resources',performance.getEntriesByType('resource').length);"
            + "d.setAttribute('data-render-check','done');}"
            + "window.addEventListener('load',function(){setTimeout(check,50);});})();"; // after late events

    private HtmlReport() {
    }

    /** The whole page. */
    public static String render(String source, ScoreTable scores, List<String> metrics, List<String> tasks,
                                List<String> methods, List<PaperTable> tables, List<ComparisonRow> tests, String countsNote) {
        return render(source, scores, metrics, tasks, methods, tables, List.of(), tests, countsNote);
    }

    /** The whole page, with the calibration tables (paper Table 7) after the robustness tables. */
    public static String render(String source, ScoreTable scores, List<String> metrics, List<String> tasks,
                                List<String> methods, List<PaperTable> tables, List<CalibrationTable> calibration,
                                List<ComparisonRow> tests, String countsNote) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">")
                .append("<script>").append(EARLY_WATCH).append("</script>")
                .append("<link rel=\"icon\" href=\"data:,\">") // no favicon request
                .append("<title>Robustness report</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>Robustness report</h1><p class=\"small\">Source: ").append(Svg.escape(source)).append(", ")
                .append(scores.rows()).append(" trials. ").append(Svg.escape(countsNote)).append("</p>\n");
        for (PaperTable t : tables) {
            table(sb, t);
        }
        for (CalibrationTable t : calibration) {
            sb.append(t.html());
        }
        tests(sb, tests);
        int figure = 0;
        // box plots per task and metric (paper Figures 1, 4, 5)
        sb.append("<h2>Score distributions over the grid</h2><div class=\"figs\">\n");
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        Map<String, Map<String, List<Integer>>> groups = new java.util.HashMap<>();
        for (int i = 0; i < scores.rows(); i++) {
            groups.computeIfAbsent(taskCol.get(i), k -> new LinkedHashMap<>())
                    .computeIfAbsent(methodCol.get(i), k -> new ArrayList<>()).add(i);
        }
        dev.robustsweep.reports.TaskBaselines baselines = dev.robustsweep.reports.TaskBaselines.of(scores);
        for (String metric : metrics) {
            double[] v = scores.table().doubleColumn(metric).asDoubleArray();
            for (String task : tasks) {
                List<String> present = new ArrayList<>();
                List<double[]> values = new ArrayList<>();
                for (String m : methods) {
                    List<Integer> idx = groups.get(task).get(m);
                    if (idx != null) {
                        present.add(m);
                        values.add(idx.stream().mapToDouble(i -> v[i]).toArray());
                    }
                }
                double reference = baselines.reference(task, metric, false);
                figure(sb, "box", figure++, BoxPlotFigure.svg(task, metric, present, values, methods, reference),
                        "Distribution of " + metric + " on " + task + " per method"
                                + (Double.isNaN(reference) ? "" : "; dashed line: no-skill baseline " + Numbers.label(reference)));
            }
        }
        sb.append("</div>\n");
        figure = heatmaps(sb, scores, metrics, tasks, methods, groups, figure);
        figure = reliability(sb, scores.reliability(), methods, figure);
        lossCurves(sb, scores.curves(), tasks, methods, figure);
        sb.append("<script>").append(RENDER_CHECK).append("</script>\n</body></html>\n");
        return sb.toString();
    }

    private static int heatmaps(StringBuilder sb, ScoreTable scores, List<String> metrics, List<String> tasks,
                                List<String> methods, Map<String, Map<String, List<Integer>>> groups, int figure) {
        if (!scores.hyperparameters().contains(ScoreTable.LEARNING_RATE)
                || !scores.hyperparameters().contains(ScoreTable.BATCH_SIZE)) {
            sb.append("<p class=\"small\">No learning_rate and batch_size columns: no heatmaps.</p>\n");
            return figure;
        }
        // the first extrinsic metric (accuracy by default), else NLL
        String metric = metrics.stream().filter(m -> !new Metric(m).isIntrinsic()).findFirst().orElse(metrics.get(0));
        boolean higher = new Metric(metric).higherIsBetter();
        double[] v = scores.table().doubleColumn(metric).asDoubleArray();
        double[] lr = scores.table().doubleColumn(ScoreTable.LEARNING_RATE).asDoubleArray();
        double[] bs = scores.table().doubleColumn(ScoreTable.BATCH_SIZE).asDoubleArray();
        sb.append("<h2>Learning rate x batch size (median ").append(metric).append(")</h2>\n");
        for (String task : tasks) {
            TreeSet<Double> lrs = new TreeSet<>();
            TreeSet<Double> bss = new TreeSet<>();
            for (List<Integer> idx : groups.get(task).values()) {
                for (int i : idx) {
                    if (!Double.isNaN(lr[i]) && !Double.isNaN(bs[i])) {
                        lrs.add(lr[i]);
                        bss.add(bs[i]);
                    }
                }
            }
            if (lrs.isEmpty()) {
                continue;
            }
            double[] lrAxis = lrs.descendingSet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] bsAxis = bss.stream().mapToDouble(Double::doubleValue).toArray();
            Map<String, double[][]> cellsByMethod = new LinkedHashMap<>();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (String m : methods) {
                List<Integer> idx = groups.get(task).get(m);
                if (idx == null) {
                    continue;
                }
                Map<String, List<Double>> byCell = new TreeMap<>();
                for (int i : idx) {
                    if (!Double.isNaN(v[i])) {
                        byCell.computeIfAbsent(lr[i] + "|" + bs[i], k -> new ArrayList<>()).add(v[i]);
                    }
                }
                double[][] cells = new double[lrAxis.length][bsAxis.length];
                for (int a = 0; a < lrAxis.length; a++) {
                    for (int b = 0; b < bsAxis.length; b++) {
                        List<Double> c = byCell.get(lrAxis[a] + "|" + bsAxis[b]);
                        cells[a][b] = c == null ? Double.NaN
                                : dev.robustsweep.reports.stats.Quantile.median(c.stream().mapToDouble(Double::doubleValue).sorted().toArray());
                        if (!Double.isNaN(cells[a][b])) {
                            lo = Math.min(lo, cells[a][b]);
                            hi = Math.max(hi, cells[a][b]);
                        }
                    }
                }
                cellsByMethod.put(m, cells);
            }
            sb.append("<h3>").append(Svg.escape(task)).append("</h3><div class=\"figs\">\n");
            for (Map.Entry<String, double[][]> e : cellsByMethod.entrySet()) {
                figure(sb, "heatmap", figure++, HeatmapFigure.svg(task, e.getKey(), metric, lrAxis, bsAxis, e.getValue(),
                        lo, hi, higher), "Median " + metric + " of " + e.getKey() + " on " + task + " per learning rate and batch size");
            }
            sb.append("</div>\n");
        }
        return figure;
    }

    /** One reliability diagram per method, its trials' bin counts pooled over tasks and grid points. */
    private static int reliability(StringBuilder sb, List<dev.robustsweep.reports.ReliabilityCounts> counts,
                                   List<String> methods, int figure) {
        if (counts.isEmpty()) {
            return figure;
        }
        sb.append("<h2>Reliability diagrams</h2><p class=\"small\">Per method, all its trials pooled (every task and grid "
                + "point): bars are the accuracy in each top-label confidence bin, dots the bin's mean confidence, the "
                + "diagonal is perfect calibration.</p><div class=\"figs\">\n");
        for (String m : methods) {
            List<dev.robustsweep.reports.ReliabilityCounts> group = counts.stream().filter(c -> c.method().equals(m)).toList();
            if (group.isEmpty()) {
                continue;
            }
            int bins = group.get(0).bins();
            long[] n = new long[bins];
            long[] correct = new long[bins];
            double[] conf = new double[bins];
            int trials = 0;
            for (dev.robustsweep.reports.ReliabilityCounts r : group) {
                if (r.bins() == bins) {
                    dev.robustsweep.reports.ReliabilityCounts.add(n, correct, conf, r);
                    trials++;
                }
            }
            String colour = Svg.PALETTE[methods.indexOf(m) % Svg.PALETTE.length];
            figure(sb, "reliability", figure++, ReliabilityFigure.svg(m, n, correct, conf, colour),
                    "Reliability of " + m + " (" + trials + " trials pooled)");
        }
        sb.append("</div>\n");
        return figure;
    }

    private static void lossCurves(StringBuilder sb, List<LossCurve> curves, List<String> tasks, List<String> methods,
                                   int figure) {
        if (curves.isEmpty()) {
            sb.append("<p class=\"small\">No training-loss curves in the input (a tidy CSV has none).</p>\n");
            return;
        }
        sb.append("<h2>Training loss per trial</h2><div class=\"figs\">\n");
        for (String task : tasks) {
            for (String m : methods) {
                List<LossCurve> group = curves.stream().filter(c -> c.task().equals(task) && c.method().equals(m)).toList();
                if (!group.isEmpty()) {
                    String colour = Svg.PALETTE[methods.indexOf(m) % Svg.PALETTE.length];
                    figure(sb, "loss", figure++, LossCurveFigure.svg(task, m, group, colour),
                            "Training loss of " + m + " on " + task + " (dashed: diverged)");
                }
            }
        }
        sb.append("</div>\n");
    }

    private static void figure(StringBuilder sb, String kind, int index, String svg, String caption) {
        sb.append("<figure data-figure=\"").append(kind).append("\" id=\"fig-").append(index).append("\">").append(svg)
                .append("<figcaption>").append(Svg.escape(caption)).append("</figcaption></figure>\n");
    }

    private static void table(StringBuilder sb, PaperTable t) {
        sb.append("<h2>").append(Svg.escape(t.title())).append("</h2><table><thead><tr><th>method</th>");
        t.columns().forEach(c -> sb.append("<th>").append(Svg.escape(c)).append("</th>"));
        sb.append("</tr></thead><tbody>");
        for (int m = 0; m < t.methods().size(); m++) {
            sb.append("<tr><td>").append(Svg.escape(t.methods().get(m))).append("</td>");
            for (int c = 0; c < t.columns().size(); c++) {
                String v = Numbers.table(t.values()[m][c]);
                sb.append("<td>").append(t.isBest(m, c) ? "<b>" + v + "</b>" : v).append(t.intervalSuffix(m, c)).append("</td>");
            }
            sb.append("</tr>");
        }
        if (t.reference() != null) {
            sb.append("<tr class=\"reference\"><td><i>").append(Svg.escape(t.reference().label())).append("</i></td>");
            for (double v : t.reference().values()) sb.append("<td><i>").append(Numbers.table(v)).append("</i></td>");
            sb.append("</tr>");
        }
        sb.append("</tbody></table>\n");
    }

    private static void tests(StringBuilder sb, List<ComparisonRow> tests) {
        sb.append("<h2>Wilcoxon signed-rank tests</h2><p class=\"small\">method_a is the reference; positive differences "
                + "mean method_a is better; p_holm is Holm-adjusted within the family.</p><table><thead><tr>");
        for (String h : Arrays.asList("family", "task", "metric", "method_a", "method_b", "n", "statistic", "p", "p_holm",
                "alternative", "method", "effect size")) {
            sb.append("<th>").append(h).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (ComparisonRow r : tests) {
            sb.append("<tr><td>").append(r.family().label()).append("</td><td>").append(Svg.escape(r.task()))
                    .append("</td><td>").append(Svg.escape(r.metric())).append("</td><td>").append(Svg.escape(r.methodA()))
                    .append("</td><td>").append(Svg.escape(r.methodB())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(Numbers.na(Numbers.label(r.statistic()), r.statistic())).append("</td><td>")
                    .append(Numbers.na(Numbers.p(r.pValue()), r.pValue())).append("</td><td>")
                    .append(Numbers.na(Numbers.p(r.pHolm()), r.pHolm())).append("</td><td>").append(r.alternative()).append("</td><td>")
                    .append(Svg.escape(r.testMethod())).append("</td><td>").append(Numbers.na(Numbers.table(r.effectSize()), r.effectSize()))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table>\n");
    }
}
