package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.ExtrinsicRobustness;
import dev.robustsweep.reports.stats.IntrinsicRobustness;
import java.util.Locale;

/**
 * A validation score column. NLL is the intrinsic score (lower is better, robustness 1/median);
 * every other metric (accuracy, f1, mcc, ...) is extrinsic (higher is better, robustness median).
 *
 * @param name column name in result.json "metrics" and in the tidy CSV
 */
public record Metric(String name) {
    /** The intrinsic score's column. */
    public static final String NLL = "nll";

    public Metric {
        name = name.trim().toLowerCase(Locale.ROOT);
    }

    /** True except for NLL. */
    public boolean higherIsBetter() {
        return !isIntrinsic();
    }

    /** NLL: robustness is 1 / median (paper section 3.3). */
    public boolean isIntrinsic() {
        return name.equals(NLL);
    }

    /** Intrinsic robustness for NLL, extrinsic robustness (median) for any other score. */
    public double robustness(double[] scores) {
        return isIntrinsic() ? IntrinsicRobustness.of(scores) : ExtrinsicRobustness.of(scores);
    }

    /** Heading used in tables: "intrinsic (1/median NLL)" or "extrinsic (median accuracy)". */
    public String robustnessLabel() {
        return isIntrinsic() ? "intrinsic (1/median NLL)" : "extrinsic (median " + name + ")";
    }
}
