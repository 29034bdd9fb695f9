package dev.robustsweep.reports.stats;

import java.util.Locale;

/**
 * How the p-value of a Wilcoxon signed-rank test is computed.
 *
 * <p>{@link #AUTO} mirrors scipy 1.17's {@code method="auto"}: more than 50 pairs gives
 * {@link #ASYMPTOTIC}; otherwise no ties and no zeros gives {@link #EXACT}; ties or zeros with at most
 * 13 pairs gives {@link #EXACT_CONDITIONAL} (scipy runs a permutation test that is exhaustive, hence
 * exact, at that size); ties or zeros with 14..50 pairs gives {@link #ASYMPTOTIC}.
 */
public enum WilcoxonMethod {
    /** Choose as scipy's "auto" does (see the class comment). */
    AUTO("auto"),
    /**
     * Exact null distribution of R+ for ranks 1..n (scipy "exact"). With ties or zeros R+ is rounded
     * conservatively (down for the upper tail, up for the lower), exactly as scipy does.
     */
    EXACT("exact"),
    /** Exact conditional distribution over all 2^n sign flips of the actual (average) ranks. */
    EXACT_CONDITIONAL("exact-conditional"),
    /** Normal approximation with the tie-corrected variance, optional continuity correction. */
    ASYMPTOTIC("asymptotic"),
    /** No non-zero difference: nothing to test; p = 1 by definition. */
    NONE("none");

    private final String label;

    WilcoxonMethod(String label) {
        this.label = label;
    }

    /** Name written to tests.csv. */
    public String label() {
        return label;
    }

    /** Parses auto, exact, exact-conditional (or permutation), asymptotic. */
    public static WilcoxonMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("permutation")) {
            return EXACT_CONDITIONAL;
        }
        for (WilcoxonMethod m : values()) {
            if (m != NONE && m.label.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "method must be auto, exact, exact-conditional or asymptotic, found '" + text + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
