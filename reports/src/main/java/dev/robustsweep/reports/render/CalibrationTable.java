package dev.robustsweep.reports.render;

import dev.robustsweep.reports.Metric;
import dev.robustsweep.reports.RobustnessRow;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's Table 7 layout: a row per method and, per task (then the average over tasks), the
 * accuracy, NLL and ECE of the method over the grid, as the median and as the best grid point
 * (highest accuracy, lowest NLL and ECE). The best value of each column is in bold. Written to
 * report.md, tables.tex and report.html when the results carry ECE.
 *
 * @param statistic "median" or "best"
 * @param columns   (task, metric) pairs, tasks in order then "average"
 * @param values    values[method][column]; NaN where a method did not run a task
 */
public record CalibrationTable(String statistic, List<String> methods, List<String[]> columns, double[][] values) {
    /** Table 7's scores, in its order. */
    public static final List<String> METRICS = List.of("accuracy", "nll", "ece");

    /** The median and the best tables, or none when the rows have no ECE. */
    public static List<CalibrationTable> of(List<RobustnessRow> rows, List<String> tasks, List<String> methods) {
        if (rows.stream().noneMatch(r -> r.metric().equals("ece"))) {
            return List.of();
        }
        List<String> metrics = METRICS.stream().filter(m -> rows.stream().anyMatch(r -> r.metric().equals(m))).toList();
        List<String> taskColumns = new ArrayList<>(tasks);
        taskColumns.add(RobustnessRow.AVERAGE);
        List<String[]> columns = new ArrayList<>();
        for (String t : taskColumns) {
            for (String m : metrics) {
                columns.add(new String[] {t, m});
            }
        }
        List<CalibrationTable> out = new ArrayList<>();
        for (String statistic : List.of("median", "best")) {
            double[][] v = new double[methods.size()][columns.size()];
            for (double[] row : v) {
                java.util.Arrays.fill(row, Double.NaN);
            }
            for (RobustnessRow r : rows) {
                int m = methods.indexOf(r.method());
                for (int c = 0; c < columns.size(); c++) {
                    if (m >= 0 && columns.get(c)[0].equals(r.task()) && columns.get(c)[1].equals(r.metric())) {
                        v[m][c] = statistic.equals("median") ? r.median() : r.best();
                    }
                }
            }
            out.add(new CalibrationTable(statistic, List.copyOf(methods), List.copyOf(columns), v));
        }
        return out;
    }

    public String title() {
        return "Calibration (paper Table 7): " + statistic + " over the grid of accuracy, NLL and ECE per task";
    }

    /** Is values[m][c] the best of its column (highest accuracy, lowest NLL / ECE; ties all bold)? */
    public boolean isBest(int m, int c) {
        boolean higher = new Metric(columns.get(c)[1]).higherIsBetter();
        double best = Double.NaN;
        for (double[] row : values) {
            double x = row[c];
            if (!Double.isNaN(x) && (Double.isNaN(best) || (higher ? x > best : x < best))) {
                best = x;
            }
        }
        return !Double.isNaN(best) && values[m][c] == best;
    }

    private static String label(String metric) {
        return switch (metric) {
            case "accuracy" -> "Acc";
            case "nll" -> "NLL";
            case "ece" -> "ECE";
            default -> metric;
        };
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("\n## ").append(title()).append("\n\n| method |");
        for (String[] c : columns) {
            sb.append(' ').append(c[0]).append(' ').append(label(c[1])).append(" |");
        }
        sb.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
        for (int m = 0; m < methods.size(); m++) {
            sb.append("| ").append(methods.get(m)).append(" |");
            for (int c = 0; c < columns.size(); c++) {
                String v = Numbers.table(values[m][c]);
                sb.append(' ').append(isBest(m, c) ? "**" + v + "**" : v).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public String latex() {
        List<String> tasks = columns.stream().map(c -> c[0]).distinct().toList();
        int per = columns.size() / tasks.size();
        StringBuilder sb = new StringBuilder("\n\\begin{table}[t]\n\\centering\n\\caption{")
                .append(LatexTables.escape(title())).append("}\n\\begin{tabular}{l")
                .append("r".repeat(columns.size())).append("}\n\\toprule\n");
        for (String t : tasks) {
            sb.append(" & \\multicolumn{").append(per).append("}{c}{")
                    .append(LatexTables.escape(t.equals("average") ? "Avg." : LatexTables.TASK_LABELS.getOrDefault(t, t))).append('}');
        }
        sb.append(" \\\\\nMethod");
        for (String[] c : columns) {
            sb.append(" & ").append(label(c[1]));
        }
        sb.append(" \\\\\n\\midrule\n");
        for (int m = 0; m < methods.size(); m++) {
            sb.append(LatexTables.escape(methods.get(m)));
            for (int c = 0; c < columns.size(); c++) {
                String v = Numbers.table(values[m][c]);
                sb.append(" & ").append(isBest(m, c) ? "\\textbf{" + v + "}" : v);
            }
            sb.append(" \\\\\n");
        }
        return sb.append("\\bottomrule\n\\end{tabular}\n\\end{table}\n").toString();
    }

    public String html() {
        StringBuilder sb = new StringBuilder("<h2>").append(Svg.escape(title())).append("</h2><table><thead><tr><th>method</th>");
        for (String[] c : columns) {
            sb.append("<th>").append(Svg.escape(c[0])).append(' ').append(label(c[1])).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int m = 0; m < methods.size(); m++) {
            sb.append("<tr><td>").append(Svg.escape(methods.get(m))).append("</td>");
            for (int c = 0; c < columns.size(); c++) {
                String v = Numbers.table(values[m][c]);
                sb.append("<td>").append(isBest(m, c) ? "<b>" + v + "</b>" : v).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>\n").toString();
    }
}
