package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.BootstrapInterval;
import dev.robustsweep.reports.stats.PercentileBootstrap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.StringColumn;

/**
 * Percentile bootstrap intervals (method-spec.md section 10, issue 12 item 1) of every robustness
 * figure: each task x method robustness (median, or 1/median for NLL) over its grid points; the
 * across-task average (tasks are independent strata, each resampled within itself); and the paired
 * difference robustness(reference) - robustness(other), within a task resampling grid points paired by
 * config (duplicates of a config averaged, as the Wilcoxon pairs), averaged over the common tasks.
 * Every interval restarts the documented SplitMix64 stream from the seed (see PercentileBootstrap).
 *
 * @param robustness key(task, method, metric) -> interval; task "average" for the averages
 * @param difference key(task, other method, metric) -> interval of reference minus other
 */
public record RobustnessIntervals(Map<String, BootstrapInterval> robustness, Map<String, BootstrapInterval> difference) {
    /** No intervals (B = 0). */
    public static final RobustnessIntervals NONE = new RobustnessIntervals(Map.of(), Map.of());

    public static String key(String task, String method, String metric) {
        return task + "\u0000" + method + "\u0000" + metric;
    }

    public BootstrapInterval robustness(String task, String method, String metric) {
        return robustness.getOrDefault(key(task, method, metric), BootstrapInterval.NA);
    }

    public BootstrapInterval difference(String task, String other, String metric) {
        return difference.getOrDefault(key(task, other, metric), BootstrapInterval.NA);
    }

    /** All intervals of a report; NONE when bootstrap is null. */
    public static RobustnessIntervals compute(ScoreTable scores, List<String> metrics, List<String> methods,
                                              String reference, PercentileBootstrap bootstrap) {
        if (bootstrap == null) {
            return NONE;
        }
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        StringColumn configCol = scores.table().stringColumn(ScoreTable.CONFIG);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < scores.rows(); i++) {
            groups.computeIfAbsent(taskCol.get(i) + "\u0000" + methodCol.get(i), k -> new ArrayList<>()).add(i);
        }
        List<String> common = RobustnessAnalysis.commonTasks(scores.tasks(), methods, groups.keySet());
        Map<String, BootstrapInterval> rob = new HashMap<>();
        Map<String, BootstrapInterval> diff = new HashMap<>();
        for (String metricName : metrics) {
            Metric metric = new Metric(metricName);
            double[] values = scores.table().doubleColumn(metricName).asDoubleArray();
            java.util.function.ToDoubleFunction<List<double[][]>> meanRobustness = strata -> strata.stream()
                    .mapToDouble(s -> metric.robustness(PercentileBootstrap.values(s, 0))).average().orElse(Double.NaN);
            java.util.function.ToDoubleFunction<List<double[][]>> meanDifference = strata -> strata.stream()
                    .mapToDouble(s -> metric.robustness(PercentileBootstrap.values(s, 0))
                            - metric.robustness(PercentileBootstrap.values(s, 1))).average().orElse(Double.NaN);
            Map<String, double[][]> cells = new HashMap<>(); // task|method -> scored values as rows
            for (String method : methods) {
                List<double[][]> strata = new ArrayList<>();
                for (String task : scores.tasks()) {
                    List<Integer> idx = groups.get(task + "\u0000" + method);
                    if (idx == null) {
                        continue;
                    }
                    double[][] rows = PercentileBootstrap.column(idx.stream().mapToDouble(i -> values[i])
                            .filter(v -> !Double.isNaN(v)).toArray());
                    cells.put(task + "\u0000" + method, rows);
                    rob.put(key(task, method, metricName), bootstrap.interval(List.<double[][]>of(rows), meanRobustness));
                    if (common.contains(task)) {
                        strata.add(rows);
                    }
                }
                if (!strata.isEmpty()) {
                    rob.put(key(RobustnessRow.AVERAGE, method, metricName), bootstrap.interval(strata, meanRobustness));
                }
            }
            for (String other : methods) {
                if (other.equals(reference)) {
                    continue;
                }
                List<double[][]> strata = new ArrayList<>();
                for (String task : scores.tasks()) {
                    List<Integer> a = groups.get(task + "\u0000" + reference);
                    List<Integer> b = groups.get(task + "\u0000" + other);
                    if (a == null || b == null) {
                        continue;
                    }
                    double[][] pairs = pairs(a, b, configCol, values);
                    diff.put(key(task, other, metricName), bootstrap.interval(List.<double[][]>of(pairs), meanDifference));
                    if (common.contains(task)) {
                        strata.add(pairs);
                    }
                }
                if (!strata.isEmpty()) {
                    diff.put(key(RobustnessRow.AVERAGE, other, metricName), bootstrap.interval(strata, meanDifference));
                }
            }
        }
        return new RobustnessIntervals(rob, diff);
    }

    /** (reference, other) score per config both ran and scored, duplicates averaged; configs in sorted order. */
    static double[][] pairs(List<Integer> a, List<Integer> b, StringColumn config, double[] values) {
        Map<String, double[]> ma = meanByConfig(a, config, values);
        Map<String, double[]> mb = meanByConfig(b, config, values);
        List<double[]> rows = new ArrayList<>();
        for (Map.Entry<String, double[]> e : ma.entrySet()) {
            double[] o = mb.get(e.getKey());
            if (o != null) {
                rows.add(new double[] {e.getValue()[0] / e.getValue()[1], o[0] / o[1]});
            }
        }
        return rows.toArray(new double[0][]);
    }

    private static Map<String, double[]> meanByConfig(List<Integer> rows, StringColumn config, double[] values) {
        Map<String, double[]> sums = new TreeMap<>();
        for (int i : rows) {
            if (!Double.isNaN(values[i])) {
                double[] s = sums.computeIfAbsent(config.get(i), k -> new double[2]);
                s[0] += values[i];
                s[1] += 1;
            }
        }
        return sums;
    }
}
