package dev.robustsweep.reports;

/**
 * One Wilcoxon comparison (one row of tests.csv). method_a is the reference; the differences are
 * oriented so that "greater" always means method_a is better (for NLL, d = nll_b - nll_a).
 *
 * @param task       the task, or "all" for the across-tasks family
 * @param pHolm      Holm-adjusted p within the family
 * @param testMethod exact, exact-conditional, asymptotic or none
 * @param effectSize matched-pairs rank-biserial correlation
 */
public record ComparisonRow(ComparisonFamily family, String task, String metric, String methodA, String methodB,
                            int n, double statistic, double pValue, double pHolm, String alternative,
                            String testMethod, double effectSize) {
    /** Task column of the across-tasks family. */
    public static final String ALL_TASKS = "all";

    /** Same comparison with its Holm-adjusted p. */
    public ComparisonRow withHolm(double adjusted) {
        return new ComparisonRow(family, task, metric, methodA, methodB, n, statistic, pValue, adjusted, alternative,
                testMethod, effectSize);
    }
}
