package dev.robustsweep.reports.render;

import dev.robustsweep.reports.ComparisonFamily;
import dev.robustsweep.reports.ComparisonRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The one-screen summary printed at the end of a sweep and by {@code report}: the robustness
 * tables (at most {@link #MAX_TASK_COLUMNS} task columns, then the average), the across-tasks tests,
 * a count of significant within-task tests, problems, and where the files went.
 */
public final class TerminalSummary {
    /** Beyond this many tasks only the average column is shown (the files have all of them). */
    public static final int MAX_TASK_COLUMNS = 6;

    private TerminalSummary() {
    }

    public static String render(String source, int trials, String countsNote, List<PaperTable> robustnessTables,
                                List<ComparisonRow> tests, List<String> warnings, Path outDir, List<String> files) {
        StringBuilder sb = new StringBuilder();
        sb.append("RobustSweep report: ").append(trials).append(" trials from ").append(source).append('\n');
        sb.append(countsNote).append('\n');
        for (PaperTable t : robustnessTables) {
            int taskCols = t.columns().size() - 1;
            boolean all = taskCols <= MAX_TASK_COLUMNS;
            sb.append('\n').append(t.title()).append(all ? "" : "  (" + taskCols + " tasks; average only)").append('\n');
            sb.append(String.format(Locale.ROOT, "  %-14s", "method"));
            for (int c = 0; c < t.columns().size(); c++) {
                if (all || c == taskCols) {
                    sb.append(String.format(Locale.ROOT, " %8s", shorten(t.columns().get(c), 8)));
                }
            }
            sb.append('\n');
            for (int m = 0; m < t.methods().size(); m++) {
                sb.append(String.format(Locale.ROOT, "  %-14s", shorten(t.methods().get(m), 14)));
                for (int c = 0; c < t.columns().size(); c++) {
                    if (all || c == taskCols) {
                        String v = Numbers.table(t.values()[m][c]) + (t.isBest(m, c) ? "*" : " ");
                        sb.append(String.format(Locale.ROOT, " %8s", v));
                    }
                }
                sb.append('\n');
            }
            if (t.reference() != null) {
                sb.append(String.format(Locale.ROOT, "  %-14s", shorten(t.reference().label(), 14)));
                for (int c = 0; c < t.columns().size(); c++) {
                    if (all || c == taskCols) sb.append(String.format(Locale.ROOT, " %8s", Numbers.table(t.reference().values()[c]) + " "));
                }
                sb.append('\n');
            }
        }
        List<ComparisonRow> across = tests.stream().filter(r -> r.family() == ComparisonFamily.ACROSS_TASKS).toList();
        if (!across.isEmpty()) {
            // one row per compared method, one column per metric: "W p (Holm p)"
            List<String> metrics = across.stream().map(ComparisonRow::metric).distinct().toList();
            List<String> others = across.stream().map(ComparisonRow::methodB).distinct().toList();
            sb.append("\nWilcoxon across tasks: ").append(across.get(0).methodA()).append(" vs each, ")
                    .append(across.get(0).alternative()).append(" (W, p, Holm p; * above = best)\n");
            sb.append(String.format(Locale.ROOT, "  %-14s", "method"));
            metrics.forEach(m -> sb.append(String.format(Locale.ROOT, " %-28s", shorten(m, 28))));
            sb.append('\n');
            for (String other : others) {
                sb.append(String.format(Locale.ROOT, "  %-14s", shorten(other, 14)));
                for (String m : metrics) {
                    ComparisonRow r = across.stream().filter(x -> x.methodB().equals(other) && x.metric().equals(m))
                            .findFirst().orElse(null);
                    String cell = r == null ? "-" : Double.isNaN(r.pValue()) ? "NA (n = 0)"
                            : r.testMethod().startsWith("no test") ? "n = " + r.n() + ": no test (min p "
                            + Numbers.label(dev.robustsweep.reports.PairedComparisons.minimumAttainableP(r.n(),
                            dev.robustsweep.reports.stats.Alternative.parse(r.alternative()))) + ")" : "W=" + Numbers.label(r.statistic()) + " p=" + Numbers.p(r.pValue())
                            + " (" + Numbers.p(r.pHolm()) + ")";
                    sb.append(String.format(Locale.ROOT, " %-28s", cell));
                }
                sb.append('\n');
            }
        }
        List<ComparisonRow> within = tests.stream().filter(r -> r.family() == ComparisonFamily.WITHIN_TASK).toList();
        long significant = within.stream().filter(r -> r.pHolm() < 0.05).count();
        sb.append("Within-task tests: ").append(significant).append(" of ").append(within.size())
                .append(" with Holm-adjusted p < 0.05 (tests.csv)\n");
        if (!warnings.isEmpty()) {
            sb.append("Warnings (").append(warnings.size()).append("): ").append(warnings.get(0))
                    .append(warnings.size() > 1 ? " ..." : "").append('\n');
        }
        sb.append("Wrote ").append(outDir).append(": ").append(String.join(", ", files)).append('\n');
        return sb.toString();
    }

    private static String shorten(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
