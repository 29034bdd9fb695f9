package dev.robustsweep.reports.stats;

import java.util.Locale;

/** How a Wilcoxon signed-rank test treats zero differences (scipy.stats.wilcoxon's zero_method). */
public enum ZeroMethod {
    /** Drop zero differences before ranking; n shrinks (Wilcoxon 1945). scipy's default. */
    WILCOX("wilcox"),
    /** Rank zeros with the others, count them in neither sum, adjust mean and variance (Pratt 1959, Cureton 1967). */
    PRATT("pratt"),
    /** Rank zeros with the others and split their rank sum half to R+ and half to R-. */
    ZSPLIT("zsplit");

    private final String label;

    ZeroMethod(String label) {
        this.label = label;
    }

    /** The name scipy uses. */
    public String label() {
        return label;
    }

    /** Parses scipy's name (case-insensitive); the message lists the accepted values. */
    public static ZeroMethod parse(String text) {
        for (ZeroMethod m : values()) {
            if (m.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("zero_method must be wilcox, pratt or zsplit, found '" + text + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
