package dev.robustsweep.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The no-skill reference of each classification task (method-spec.md section 10): the majority-class
 * accuracy and the NLL of predicting the dev labels' class prior, as each trial's result.json records
 * them ({@code dev_baseline}). A method whose median accuracy does not exceed the first, or whose
 * median NLL is not below the second, has not learned from the text at the typical grid point: the
 * report draws both as reference lines and names such methods.
 *
 * @param majorityAccuracy task to majority-class accuracy (absent when unknown)
 * @param priorNll         task to class-prior NLL (absent when unknown)
 */
public record TaskBaselines(Map<String, Double> majorityAccuracy, Map<String, Double> priorNll) {
    /** Row label of the reference rows in tables. */
    public static final String LABEL = "no-skill baseline";

    /** The per-task values of a score table: the median over the task's trials that carry one. */
    public static TaskBaselines of(ScoreTable scores) {
        return new TaskBaselines(perTask(scores, ScoreTable.MAJORITY_ACCURACY), perTask(scores, ScoreTable.PRIOR_NLL));
    }

    private static Map<String, Double> perTask(ScoreTable scores, String column) {
        Map<String, Double> out = new LinkedHashMap<>();
        Table t = scores.table();
        if (!t.columnNames().contains(column)) return out;
        DoubleColumn values = t.doubleColumn(column);
        for (String task : scores.tasks()) {
            double[] v = new double[t.rowCount()];
            int n = 0;
            for (int i = 0; i < t.rowCount(); i++) {
                // a slice of the dev set (max_eval_samples) has its own reference: trials of one task share it
                if (t.stringColumn(ScoreTable.TASK).get(i).equals(task) && !Double.isNaN(values.getDouble(i))) v[n++] = values.getDouble(i);
            }
            if (n > 0) out.put(task, dev.robustsweep.reports.stats.Quantile.median(java.util.Arrays.copyOf(v, n)));
        }
        return out;
    }

    /** True when no task has a reference (older results, or a CSV without the columns). */
    public boolean isEmpty() {
        return majorityAccuracy.isEmpty() && priorNll.isEmpty();
    }

    /**
     * The reference value of a table cell: the majority-class accuracy for accuracy (median or best),
     * 1 / prior NLL for intrinsic robustness, the prior NLL for NLL; NaN for other metrics and statistics.
     */
    public double reference(String task, String metric, boolean robustness) {
        Metric m = new Metric(metric);
        if (m.name().equals("accuracy")) return majorityAccuracy.getOrDefault(task, Double.NaN);
        if (m.isIntrinsic()) {
            double nll = priorNll.getOrDefault(task, Double.NaN);
            return robustness ? 1 / nll : nll;
        }
        return Double.NaN;
    }

    /**
     * One line per task x method whose median accuracy is not above the majority class or whose
     * median NLL is not below the class-prior NLL, e.g. "lora on mrpc: median accuracy 0.543 <= 0.684 (majority class)".
     */
    public List<String> notBeaten(List<RobustnessRow> rows) {
        List<String> out = new ArrayList<>();
        for (RobustnessRow r : rows) {
            if (r.task().equals(RobustnessRow.AVERAGE) || r.n() == 0 || Double.isNaN(r.median())) continue;
            Metric m = new Metric(r.metric());
            if (m.name().equals("accuracy") && majorityAccuracy.containsKey(r.task())
                    && r.median() <= majorityAccuracy.get(r.task())) {
                out.add(String.format(Locale.ROOT, "%s on %s: median accuracy %.3f <= %.3f (majority class)",
                        r.method(), r.task(), r.median(), majorityAccuracy.get(r.task())));
            } else if (m.isIntrinsic() && priorNll.containsKey(r.task()) && r.median() >= priorNll.get(r.task())) {
                out.add(String.format(Locale.ROOT, "%s on %s: median NLL %.3f >= %.3f (class prior)",
                        r.method(), r.task(), r.median(), priorNll.get(r.task())));
            }
        }
        return out;
    }
}
