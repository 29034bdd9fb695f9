package dev.robustsweep.reports.stats;

/**
 * Outcome of one Wilcoxon signed-rank test.
 *
 * @param n          number of ranked differences: pairs without NaN, minus zeros under
 *                   {@link ZeroMethod#WILCOX} (scipy's "count")
 * @param zeros      number of zero differences among the pairs
 * @param statistic  min(R+, R-) for two-sided, R+ otherwise (scipy's statistic)
 * @param rPlus      sum of ranks of positive differences (plus half the zeros' ranks under zsplit)
 * @param rMinus     sum of ranks of negative differences (plus half the zeros' ranks under zsplit)
 * @param pValue     p-value in [0, 1]
 * @param method     how p was computed (never AUTO)
 * @param z          standardised statistic (after continuity correction) when asymptotic, else NaN
 * @param effectSize matched-pairs rank-biserial correlation (R+ - R-) / (R+ + R-); 0 when both are 0
 */
public record WilcoxonResult(int n, int zeros, double statistic, double rPlus, double rMinus,
                             double pValue, WilcoxonMethod method, double z, double effectSize) {
}
