package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.FriedmanResult;
import dev.robustsweep.reports.stats.FriedmanTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tech.tablesaw.api.StringColumn;

/**
 * Friedman test over all methods with the Iman-Davenport F and the Nemenyi critical difference
 * (method-spec.md section 10, issue 12 item 2): across tasks (blocks = tasks, values = each method's
 * robustness on the task) and within each task (blocks = grid points every method ran, values = the
 * scores, duplicates of a config averaged). Nemenyi answers "which methods differ among all of them";
 * the Wilcoxon + Holm rows answer "is the reference better than each other method" (Benavoli et al. 2016).
 */
public final class RankComparisons {
    /** method_a of a Friedman row: the test is over all methods. */
    public static final String ALL_METHODS = "all";

    private RankComparisons() {
    }

    /**
     * One Friedman analysis.
     *
     * @param family  FRIEDMAN_ACROSS_TASKS or FRIEDMAN_WITHIN_TASK
     * @param task    "all" across tasks, else the task
     * @param methods methods in the order of {@code result.meanRanks()}
     */
    public record Analysis(ComparisonFamily family, String task, String metric, List<String> methods, FriedmanResult result) {
    }

    /** Across-tasks analyses first (per metric), then within each task. */
    public static List<Analysis> run(ScoreTable scores, List<RobustnessRow> robustness, List<String> metrics,
                                     List<String> methods, double alpha) {
        List<Analysis> out = new ArrayList<>();
        Map<String, Double> value = new HashMap<>();
        for (RobustnessRow r : robustness) {
            value.put(r.metric() + "\u0000" + r.method() + "\u0000" + r.task(), r.robustness());
        }
        List<String> tasks = scores.tasks();
        for (String metric : metrics) {
            double[][] data = new double[tasks.size()][methods.size()];
            for (int t = 0; t < tasks.size(); t++) {
                for (int m = 0; m < methods.size(); m++) {
                    data[t][m] = value.getOrDefault(metric + "\u0000" + methods.get(m) + "\u0000" + tasks.get(t), Double.NaN);
                }
            }
            out.add(new Analysis(ComparisonFamily.FRIEDMAN_ACROSS_TASKS, ComparisonRow.ALL_TASKS, metric, methods,
                    FriedmanTest.test(data, new Metric(metric).robustnessHigherIsBetter(), alpha)));
        }
        StringColumn taskCol = scores.table().stringColumn(ScoreTable.TASK);
        StringColumn methodCol = scores.table().stringColumn(ScoreTable.METHOD);
        StringColumn configCol = scores.table().stringColumn(ScoreTable.CONFIG);
        for (String metric : metrics) {
            double[] v = scores.table().doubleColumn(metric).asDoubleArray();
            for (String task : tasks) {
                // config -> method -> {sum, count}
                Map<String, Map<String, double[]>> byConfig = new TreeMap<>();
                TreeSet<String> present = new TreeSet<>();
                for (int i = 0; i < scores.rows(); i++) {
                    if (taskCol.get(i).equals(task)) {
                        present.add(methodCol.get(i));
                        if (!Double.isNaN(v[i])) {
                            double[] s = byConfig.computeIfAbsent(configCol.get(i), k -> new LinkedHashMap<>())
                                    .computeIfAbsent(methodCol.get(i), k -> new double[2]);
                            s[0] += v[i];
                            s[1]++;
                        }
                    }
                }
                List<String> ms = methods.stream().filter(present::contains).toList();
                if (ms.size() < 2) {
                    continue;
                }
                List<double[]> blocks = new ArrayList<>();
                for (Map<String, double[]> cell : byConfig.values()) {
                    double[] row = new double[ms.size()];
                    for (int m = 0; m < ms.size(); m++) {
                        double[] s = cell.get(ms.get(m));
                        row[m] = s == null ? Double.NaN : s[0] / s[1];
                    }
                    blocks.add(row);
                }
                out.add(new Analysis(ComparisonFamily.FRIEDMAN_WITHIN_TASK, task, metric, ms,
                        FriedmanTest.test(blocks.toArray(new double[0][]), new Metric(metric).higherIsBetter(), alpha)));
            }
        }
        return out;
    }

    /**
     * tests.csv rows: per analysis a friedman-chi2 row and an iman-davenport-F row; n = blocks, effect size =
     * Kendall's W = chi2 / (N (k - 1)). With fewer than 2 complete blocks: one row, statistic and p NA.
     */
    public static List<ComparisonRow> rows(List<Analysis> analyses) {
        List<ComparisonRow> rows = new ArrayList<>();
        for (Analysis a : analyses) {
            FriedmanResult r = a.result();
            String others = String.join("+", a.methods());
            if (!r.tested()) {
                String why = r.blocks() == 0 ? "NA (N = 0 complete blocks)"
                        : "no test (N = " + r.blocks() + " complete block: Friedman needs 2)";
                rows.add(new ComparisonRow(a.family(), a.task(), a.metric(), ALL_METHODS, others, r.blocks(), Double.NaN,
                        Double.NaN, Double.NaN, "", why, Double.NaN));
                continue;
            }
            double kendallW = r.chiSquare() / (r.blocks() * (r.k() - 1.0));
            rows.add(new ComparisonRow(a.family(), a.task(), a.metric(), ALL_METHODS, others, r.blocks(), r.chiSquare(),
                    r.pValue(), Double.NaN, "", "friedman-chi2", kendallW));
            rows.add(new ComparisonRow(a.family(), a.task(), a.metric(), ALL_METHODS, others, r.blocks(), r.imanDavenportF(),
                    r.imanDavenportP(), Double.NaN, "", "iman-davenport-F", kendallW));
        }
        return rows;
    }
}
