package dev.robustsweep.reports.render;

import java.util.Locale;

/** Number formatting shared by the writers: locale-independent, NaN as a dash (tables) or empty (CSV). */
public final class Numbers {
    private Numbers() {
    }

    /** Full precision for CSV (shortest repr that round-trips); NaN as an empty cell. */
    public static String csv(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** Table cell: 2 decimals from 10 up (80.78), 3 below (2.230 -> "2.230", 1.108). */
    public static String table(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.2f" : "%.3f", v);
    }

    /** p-values: 4 significant digits, scientific below 1e-4. */
    public static String p(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v != 0 && v < 1e-4 ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Short form for plot labels. */
    public static String label(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v != 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e5)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /**
     * An axis tick: {@link #label} when the ticks are at least 0.001 apart, else with as many decimals as
     * the step needs, so that ticks over a narrow range (NLL 0.6995 .. 0.7005) do not all read "0.7".
     */
    public static String tickLabel(double v, double step) {
        if (Double.isNaN(v) || !(step > 0) || step >= 1e-3 || v == 0 || Math.abs(v) >= 1e5) {
            return label(v);
        }
        int decimals = (int) Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A test's statistic or p in a table: "NA" when there is none (n = 0, or no test possible). */
    public static String na(String formatted, double v) {
        return Double.isNaN(v) ? "NA" : formatted;
    }

    /** "80.8 [78.1, 82.0]": a table value with its confidence interval (just the value when the interval is undefined). */
    public static String withInterval(double v, double lower, double upper) {
        String s = table(v);
        return Double.isNaN(v) || Double.isNaN(lower) || Double.isNaN(upper) ? s
                : s + " [" + table(lower) + ", " + table(upper) + "]";
    }
}
