package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.ScoreSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;

/**
 * Per task x method robustness over the grid points (method-spec.md section 5, issue 5 item 2),
 * plus the across-task average of each statistic as the last "task" (paper Tables 5, 6, 9). The
 * average is taken over the tasks every method ran, so that no method's average (and "best") rests on
 * fewer or easier tasks than another's; {@link #averageNote} names the tasks left out.
 */
public final class RobustnessAnalysis {
    private RobustnessAnalysis() {
    }

    /** One row per task, method and metric, tasks then "average"; methods in {@code methodOrder}. */
    public static List<RobustnessRow> compute(ScoreTable scores, List<String> metrics, List<String> methodOrder) {
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        StringColumn statusCol = scores.table().stringColumn(ScoreTable.STATUS);
        List<String> tasks = scores.tasks();
        // row indices per (task, method)
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < scores.rows(); i++) {
            groups.computeIfAbsent(taskCol.get(i) + "\u0000" + methodCol.get(i), k -> new ArrayList<>()).add(i);
        }
        List<String> common = commonTasks(tasks, methodOrder, groups.keySet());
        List<RobustnessRow> rows = new ArrayList<>();
        for (String metricName : metrics) {
            Metric metric = new Metric(metricName);
            double[] values = scores.table().doubleColumn(metricName).asDoubleArray();
            for (String method : methodOrder) {
                List<RobustnessRow> perTask = new ArrayList<>();
                for (String task : tasks) {
                    List<Integer> idx = groups.get(task + "\u0000" + method);
                    if (idx == null) {
                        continue;
                    }
                    double[] v = new double[idx.size()];
                    int diverged = 0;
                    int failed = 0;
                    for (int k = 0; k < v.length; k++) {
                        int i = idx.get(k);
                        v[k] = values[i];
                        String status = statusCol.get(i);
                        diverged += status.equals("diverged") ? 1 : 0;
                        failed += status.equals("failed") ? 1 : 0;
                    }
                    ScoreSummary s = ScoreSummary.of(v, metric.higherIsBetter());
                    perTask.add(new RobustnessRow(task, method, metricName, s.n(), metric.robustness(v), s.median(),
                            s.spread(), s.iqr(), s.best(), s.worst(), s.mean(), s.sd(), diverged, failed));
                }
                rows.addAll(perTask);
                List<RobustnessRow> averaged = perTask.stream().filter(r -> common.contains(r.task())).toList();
                if (!averaged.isEmpty()) {
                    rows.add(average(method, metricName, averaged));
                }
            }
        }
        return rows;
    }

    /** Tasks (in input order) that every method ran. */
    static List<String> commonTasks(List<String> tasks, List<String> methods, java.util.Set<String> groups) {
        return tasks.stream().filter(t -> methods.stream().allMatch(m -> groups.contains(t + "\u0000" + m))).toList();
    }

    /** Null when every method ran every task; else which tasks the averages leave out and who ran them. */
    public static String averageNote(ScoreTable scores, List<String> methods) {
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        java.util.Set<String> groups = new java.util.HashSet<>();
        for (int i = 0; i < scores.rows(); i++) groups.add(taskCol.get(i) + "\u0000" + methodCol.get(i));
        List<String> common = commonTasks(scores.tasks(), methods, groups);
        if (common.size() == scores.tasks().size()) return null;
        List<String> left = new ArrayList<>();
        for (String t : scores.tasks()) {
            if (common.contains(t)) continue;
            left.add(t + " (only " + String.join(", ", methods.stream().filter(m -> groups.contains(t + "\u0000" + m)).toList()) + ")");
        }
        return common.isEmpty() ? "no task was run by every method, so there are no averages; per task: " + String.join("; ", left)
                : "averages are over the " + common.size() + " task(s) every method ran (" + String.join(", ", common) + "); not averaged: "
                + String.join("; ", left);
    }

    /** Mean over tasks of each statistic; counts are summed. */
    static RobustnessRow average(String method, String metric, List<RobustnessRow> perTask) {
        int n = 0;
        int diverged = 0;
        int failed = 0;
        double[] sum = new double[8];
        for (RobustnessRow r : perTask) {
            n += r.n();
            diverged += r.diverged();
            failed += r.failed();
            double[] v = {r.robustness(), r.median(), r.spread(), r.iqr(), r.best(), r.worst(), r.mean(), r.sd()};
            for (int k = 0; k < v.length; k++) {
                sum[k] += v[k];
            }
        }
        int t = perTask.size();
        return new RobustnessRow(RobustnessRow.AVERAGE, method, metric, n, sum[0] / t, sum[1] / t, sum[2] / t,
                sum[3] / t, sum[4] / t, sum[5] / t, sum[6] / t, sum[7] / t, diverged, failed);
    }
}
