package dev.robustsweep.reports.render;

import dev.robustsweep.reports.ComparisonRow;
import java.util.List;

/** report.md: the paper-style tables (best value per column in bold) and the tests. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(String source, int trials, int corrupt, List<PaperTable> tables,
                                List<ComparisonRow> tests, String countsNote, List<String> warnings) {
        StringBuilder sb = new StringBuilder("# Robustness report\n\n");
        sb.append("Source: `").append(source).append("`, ").append(trials).append(" trials");
        if (corrupt > 0) {
            sb.append(", ").append(corrupt).append(" corrupt result files skipped");
        }
        sb.append(".\n").append(countsNote).append("\n\n");
        for (PaperTable t : tables) {
            sb.append("## ").append(t.title()).append("\n\n| method |");
            t.columns().forEach(c -> sb.append(' ').append(c).append(" |"));
            sb.append("\n|---|");
            t.columns().forEach(c -> sb.append("---:|"));
            sb.append('\n');
            for (int m = 0; m < t.methods().size(); m++) {
                sb.append("| ").append(t.methods().get(m)).append(" |");
                for (int c = 0; c < t.columns().size(); c++) {
                    String v = Numbers.table(t.values()[m][c]);
                    sb.append(' ').append(t.isBest(m, c) ? "**" + v + "**" : v).append(t.intervalSuffix(m, c)).append(" |");
                }
                sb.append('\n');
            }
            if (t.reference() != null) {
                sb.append("| _").append(t.reference().label()).append("_ |");
                for (double v : t.reference().values()) sb.append(" _").append(Numbers.table(v)).append("_ |");
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("## Wilcoxon signed-rank tests\n\n")
                .append("Reference (method_a) against every other method; positive differences mean method_a is better. ")
                .append("p_holm: Holm-adjusted within the family.\n\n")
                .append("| family | task | metric | method_a | method_b | n | statistic | p | p_holm | alternative | method | effect size |\n")
                .append("|---|---|---|---|---|---:|---:|---:|---:|---|---|---:|\n");
        for (ComparisonRow r : tests) {
            sb.append("| ").append(r.family().label()).append(" | ").append(r.task()).append(" | ").append(r.metric())
                    .append(" | ").append(r.methodA()).append(" | ").append(r.methodB()).append(" | ").append(r.n())
                    .append(" | ").append(Numbers.na(Numbers.label(r.statistic()), r.statistic())).append(" | ")
                    .append(Numbers.na(Numbers.p(r.pValue()), r.pValue()))
                    .append(" | ").append(Numbers.na(Numbers.p(r.pHolm()), r.pHolm())).append(" | ").append(r.alternative()).append(" | ")
                    .append(r.testMethod()).append(" | ").append(Numbers.na(Numbers.table(r.effectSize()), r.effectSize())).append(" |\n");
        }
        sb.append("\nFriedman rows (family friedman_*): statistic is Friedman's chi-square (friedman-chi2) or the Iman-Davenport F ")
                .append("over all methods (method_b), n = blocks (tasks, or grid points within a task), effect size = Kendall's W. ")
                .append("Friedman asks whether any method differs among all of them; the Wilcoxon + Holm rows answer whether ")
                .append("the reference beats each other method.\n");
        if (!warnings.isEmpty()) {
            sb.append("\n## Skipped input\n\n");
            warnings.forEach(w -> sb.append("- ").append(w).append('\n'));
        }
        return sb.toString();
    }
}
