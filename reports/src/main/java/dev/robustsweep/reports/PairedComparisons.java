package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.HolmCorrection;
import dev.robustsweep.reports.stats.WilcoxonResult;
import dev.robustsweep.reports.stats.WilcoxonSignedRankTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.StringColumn;

/**
 * The reference method against every other method, in two families (issue 5 item 3), each with
 * Holm-adjusted p-values next to the raw ones. Differences are oriented so that positive means the
 * reference is better: robustness values are all higher-is-better; within a task, NLL is negated.
 */
public final class PairedComparisons {
    private PairedComparisons() {
    }

    /** Across-tasks family then within-task family; Holm applied within each. */
    public static List<ComparisonRow> run(ScoreTable scores, List<RobustnessRow> robustness, String reference,
                                          List<String> methods, ReportOptions options) {
        WilcoxonSignedRankTest test = new WilcoxonSignedRankTest(options.zeroMethod(), options.alternative(),
                options.testMethod(), options.continuityCorrection());
        List<ComparisonRow> across = acrossTasks(robustness, reference, methods, options, test);
        List<ComparisonRow> within = withinTask(scores, reference, methods, options, test);
        List<ComparisonRow> all = new ArrayList<>(holm(across));
        all.addAll(holm(within));
        return all;
    }

    /** Pairs each task's robustness value of the reference with the other method's (the paper's test). */
    static List<ComparisonRow> acrossTasks(List<RobustnessRow> robustness, String reference, List<String> methods,
                                           ReportOptions options, WilcoxonSignedRankTest test) {
        Map<String, Double> value = new HashMap<>(); // metric|method|task -> robustness
        for (RobustnessRow r : robustness) {
            if (!r.task().equals(RobustnessRow.AVERAGE)) {
                value.put(r.metric() + "|" + r.method() + "|" + r.task(), r.robustness());
            }
        }
        java.util.LinkedHashSet<String> tasks = new java.util.LinkedHashSet<>();
        robustness.forEach(r -> {
            if (!r.task().equals(RobustnessRow.AVERAGE)) {
                tasks.add(r.task());
            }
        });
        List<ComparisonRow> rows = new ArrayList<>();
        for (String metric : options.metrics()) {
            for (String other : methods) {
                if (other.equals(reference)) {
                    continue;
                }
                List<Double> a = new ArrayList<>();
                List<Double> b = new ArrayList<>();
                // orient so that greater = better (a calibration error's median is better when lower)
                double sign = new Metric(metric).robustnessHigherIsBetter() ? 1.0 : -1.0;
                for (String task : tasks) {
                    Double va = value.get(metric + "|" + reference + "|" + task);
                    Double vb = value.get(metric + "|" + other + "|" + task);
                    if (va != null && vb != null) {
                        a.add(sign * va);
                        b.add(sign * vb);
                    }
                }
                WilcoxonResult w = test.test(toArray(a), toArray(b)); // NaN pairs dropped by the test
                rows.add(row(ComparisonFamily.ACROSS_TASKS, ComparisonRow.ALL_TASKS, metric, reference, other, w, options));
            }
        }
        return rows;
    }

    /** Within each task, pairs scores by grid point (config); duplicates of a grid point are averaged. */
    static List<ComparisonRow> withinTask(ScoreTable scores, String reference, List<String> methods,
                                          ReportOptions options, WilcoxonSignedRankTest test) {
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        StringColumn configCol = scores.table().stringColumn(ScoreTable.CONFIG);
        // task -> method -> row indices
        Map<String, Map<String, List<Integer>>> byTask = new java.util.LinkedHashMap<>(); // first appearance
        for (int i = 0; i < scores.rows(); i++) {
            byTask.computeIfAbsent(taskCol.get(i), k -> new HashMap<>())
                    .computeIfAbsent(methodCol.get(i), k -> new ArrayList<>()).add(i);
        }
        List<ComparisonRow> rows = new ArrayList<>();
        for (String metricName : options.metrics()) {
            Metric metric = new Metric(metricName);
            double[] values = scores.table().doubleColumn(metricName).asDoubleArray();
            double sign = metric.higherIsBetter() ? 1.0 : -1.0; // orient: positive = reference better
            for (Map.Entry<String, Map<String, List<Integer>>> task : byTask.entrySet()) {
                List<Integer> refRows = task.getValue().get(reference);
                if (refRows == null) {
                    continue;
                }
                Map<String, double[]> refByConfig = meanByConfig(refRows, configCol, values);
                for (String other : methods) {
                    List<Integer> otherRows = task.getValue().get(other);
                    if (other.equals(reference) || otherRows == null) {
                        continue;
                    }
                    Map<String, double[]> otherByConfig = meanByConfig(otherRows, configCol, values);
                    List<Double> d = new ArrayList<>();
                    for (Map.Entry<String, double[]> e : refByConfig.entrySet()) {
                        double[] o = otherByConfig.get(e.getKey());
                        if (o != null) {
                            d.add(sign * (mean(e.getValue()) - mean(o)));
                        }
                    }
                    WilcoxonResult w = test.testDifferences(toArray(d));
                    rows.add(row(ComparisonFamily.WITHIN_TASK, task.getKey(), metricName, reference, other, w, options));
                }
            }
        }
        return rows;
    }

    private static Map<String, double[]> meanByConfig(List<Integer> rows, StringColumn config, double[] values) {
        Map<String, double[]> sums = new TreeMap<>(); // config -> {sum, count}
        for (int i : rows) {
            if (!Double.isNaN(values[i])) {
                double[] s = sums.computeIfAbsent(config.get(i), k -> new double[2]);
                s[0] += values[i];
                s[1] += 1;
            }
        }
        return sums;
    }

    private static double mean(double[] sumAndCount) {
        return sumAndCount[0] / sumAndCount[1];
    }

    private static ComparisonRow row(ComparisonFamily family, String task, String metric, String a, String b,
                                     WilcoxonResult w, ReportOptions options) {
        // honest small samples (issue 12 item 3): n = 0 is NA, too few pairs to reach p < alpha is no test
        if (w.n() == 0) {
            return new ComparisonRow(family, task, metric, a, b, 0, Double.NaN, Double.NaN, Double.NaN,
                    options.alternative().label(), NO_PAIRS, Double.NaN);
        }
        double minP = minimumAttainableP(w.n(), options.alternative());
        double alpha = options.inference().alpha();
        if (minP >= alpha) { // the exact W and p stay (they are true), the method says they cannot be significant
            return new ComparisonRow(family, task, metric, a, b, w.n(), w.statistic(), w.pValue(), Double.NaN,
                    options.alternative().label(), noTest(w.n(), minP, alpha) + " " + w.method().label() + " p shown",
                    w.effectSize());
        }
        return new ComparisonRow(family, task, metric, a, b, w.n(), w.statistic(), w.pValue(), Double.NaN,
                options.alternative().label(), w.method().label(), w.effectSize());
    }

    /** test_method of a comparison without a single non-zero difference. */
    public static final String NO_PAIRS = "NA (n = 0)";

    /** test_method of a comparison whose pairs are too few to ever give p < alpha. */
    static String noTest(int n, double minP, double alpha) {
        return "no test (n = " + n + ": min attainable p = " + dev.robustsweep.reports.render.Numbers.label(minP)
                + " >= alpha " + dev.robustsweep.reports.render.Numbers.label(alpha) + ");";
    }

    /**
     * Smallest p any outcome of n signed ranks can give: all signs one way has probability 1 / 2^n under H0
     * (exact and exact conditional alike); two-sided doubles it.
     */
    public static double minimumAttainableP(int n, dev.robustsweep.reports.stats.Alternative alternative) {
        double oneSided = Math.pow(0.5, n);
        return alternative == dev.robustsweep.reports.stats.Alternative.TWO_SIDED ? Math.min(1, 2 * oneSided) : oneSided;
    }

    private static List<ComparisonRow> holm(List<ComparisonRow> family) {
        double[] p = family.stream().mapToDouble(ComparisonRow::pValue).toArray();
        double[] adjusted = HolmCorrection.adjust(p);
        List<ComparisonRow> out = new ArrayList<>(family.size());
        for (int i = 0; i < family.size(); i++) {
            out.add(family.get(i).withHolm(adjusted[i]));
        }
        return out;
    }

    private static double[] toArray(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
