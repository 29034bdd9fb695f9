package dev.robustsweep.reports.stats;

import java.util.Locale;

/** Alternative hypothesis of a paired test on d = x - y (scipy's names). */
public enum Alternative {
    /** Location of d is not zero; statistic min(R+, R-). */
    TWO_SIDED("two-sided"),
    /** d is shifted above zero (x tends to be larger); statistic R+. */
    GREATER("greater"),
    /** d is shifted below zero (x tends to be smaller); statistic R+. */
    LESS("less");

    private final String label;

    Alternative(String label) {
        this.label = label;
    }

    /** The name scipy uses. */
    public String label() {
        return label;
    }

    /** Parses "two-sided", "greater" or "less" (case-insensitive; "two_sided" also accepted). */
    public static Alternative parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Alternative a : values()) {
            if (a.label.equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("alternative must be greater, less or two-sided, found '" + text + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
