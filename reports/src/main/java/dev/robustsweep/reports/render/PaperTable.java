package dev.robustsweep.reports.render;

import dev.robustsweep.reports.Metric;
import dev.robustsweep.reports.RobustnessRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One table laid out as in the paper (Tables 5, 6, 9): a row per method, a column per task and the
 * average last. {@link #bestRow(int)} finds the best value of a column (bold in LaTeX and Markdown).
 *
 * @param title          e.g. "Intrinsic robustness (1/median NLL)"
 * @param columns        task names then "average"
 * @param methods        row labels
 * @param values         values[method][column]; NaN where a method did not run a task
 * @param higherIsBetter direction for the bold best value
 * @param lower          bootstrap lower bounds per cell, or null (issue 12)
 * @param upper          bootstrap upper bounds per cell, or null
 * @param reference      a labelled reference row shown below the methods and never bold (the
 *                       no-skill baseline of {@link dev.robustsweep.reports.TaskBaselines}), or null
 */
public record PaperTable(String title, List<String> columns, List<String> methods, double[][] values,
                         boolean higherIsBetter, Reference reference, double[][] lower, double[][] upper) {

    /** A row of reference values, one per column (NaN where unknown). */
    public record Reference(String label, double[] values) {
    }

    public PaperTable(String title, List<String> columns, List<String> methods, double[][] values, boolean higherIsBetter) {
        this(title, columns, methods, values, higherIsBetter, null, null, null);
    }

    /** A table with a reference row and no confidence intervals. */
    public PaperTable(String title, List<String> columns, List<String> methods, double[][] values, boolean higherIsBetter,
                      Reference reference) {
        this(title, columns, methods, values, higherIsBetter, reference, null, null);
    }

    /** " [lower, upper]" after a cell's value when this table has a defined interval for it, else "". */
    public String intervalSuffix(int m, int c) {
        return lower == null ? "" : Numbers.withInterval(values[m][c], lower[m][c], upper[m][c]).substring(Numbers.table(values[m][c]).length());
    }

    /** The same table with bootstrap intervals (issue 12 item 1); the title says the level. */
    public PaperTable withIntervals(double[][] lo, double[][] hi, double confidence) {
        return new PaperTable(title + " [" + Math.round(confidence * 100) + "% bootstrap CI]", columns, methods, values,
                higherIsBetter, reference, lo, hi);
    }

    /** Statistic to tabulate. */
    public enum Kind {
        ROBUSTNESS, BEST, SPREAD
    }

    /** Builds the table of one metric and one statistic from robustness rows. */
    public static PaperTable of(List<RobustnessRow> rows, String metricName, Kind kind, List<String> tasks,
                                List<String> methods) {
        Metric metric = new Metric(metricName);
        List<String> columns = new ArrayList<>(tasks);
        columns.add(RobustnessRow.AVERAGE);
        double[][] v = new double[methods.size()][columns.size()];
        for (double[] row : v) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        ToDoubleFunction<RobustnessRow> stat = switch (kind) {
            case ROBUSTNESS -> RobustnessRow::robustness;
            case BEST -> RobustnessRow::best;
            case SPREAD -> RobustnessRow::spread;
        };
        for (RobustnessRow r : rows) {
            int m = methods.indexOf(r.method());
            int c = columns.indexOf(r.task());
            if (r.metric().equals(metricName) && m >= 0 && c >= 0) {
                v[m][c] = stat.applyAsDouble(r);
            }
        }
        String title = switch (kind) {
            case ROBUSTNESS -> (metric.isIntrinsic() ? "Intrinsic robustness (1 / median NLL)"
                    : metric.isCalibrationError() ? "Calibration (median " + metricName + ", lower is better)"
                    : "Extrinsic robustness (median " + metricName + ")");
            case BEST -> "Best " + metricName + (metric.higherIsBetter() ? " (highest)" : " (lowest)");
            case SPREAD -> "Spread of " + metricName + " (max - min)";
        };
        boolean higher = switch (kind) {
            case ROBUSTNESS -> metric.robustnessHigherIsBetter(); // robustness scores higher, calibration errors lower
            case BEST -> metric.higherIsBetter();
            case SPREAD -> false;                    // a smaller spread is more robust
        };
        return new PaperTable(title, columns, List.copyOf(methods), v, higher);
    }

    /**
     * This table with the no-skill reference row of its metric (majority class for accuracy, class-prior
     * NLL for NLL); unchanged when the metric or statistic has none or no task has a reference.
     */
    public PaperTable withBaseline(dev.robustsweep.reports.TaskBaselines baselines, String metricName, Kind kind) {
        if (kind == Kind.SPREAD) return this;
        double[] ref = new double[columns.size()];
        double sum = 0;
        int n = 0;
        for (int c = 0; c < columns.size(); c++) {
            ref[c] = baselines.reference(columns.get(c), metricName, kind == Kind.ROBUSTNESS);
            if (!Double.isNaN(ref[c])) {
                sum += ref[c];
                n++;
            }
        }
        int avg = columns.indexOf(RobustnessRow.AVERAGE);
        if (avg >= 0) ref[avg] = n == columns.size() - 1 ? sum / n : Double.NaN; // an average only over every task
        if (n == 0) return this;
        return new PaperTable(title, columns, methods, values, higherIsBetter,
                new Reference(dev.robustsweep.reports.TaskBaselines.LABEL, ref));
    }

    /** Index of the method with the best value in column c, or -1 when the column is empty. */
    public int bestRow(int c) {
        int best = -1;
        for (int m = 0; m < methods.size(); m++) {
            double x = values[m][c];
            if (!Double.isNaN(x) && (best < 0 || (higherIsBetter ? x > values[best][c] : x < values[best][c]))) {
                best = m;
            }
        }
        return best;
    }

    /** Is values[m][c] the best in its column (ties all bold)? */
    public boolean isBest(int m, int c) {
        int b = bestRow(c);
        return b >= 0 && values[m][c] == values[b][c];
    }
}
