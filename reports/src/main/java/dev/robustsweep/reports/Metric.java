package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.ExtrinsicRobustness;
import dev.robustsweep.reports.stats.IntrinsicRobustness;
import java.util.Locale;

/**
 * A validation score column. NLL is the intrinsic score (lower is better, robustness 1/median);
 * the calibration errors ECE and Brier are lower-is-better scores whose robustness is their median
 * (lower is better); every other metric (accuracy, f1, mcc, ...) is extrinsic (higher is better,
 * robustness median).
 *
 * @param name column name in result.json "metrics" and in the tidy CSV
 */
public record Metric(String name) {
    /** The intrinsic score's column. */
    public static final String NLL = "nll";
    /** Calibration errors (method-spec.md section 9): lower is better, robustness = median. */
    public static final java.util.Set<String> CALIBRATION_ERRORS = java.util.Set.of("ece", "brier");

    public Metric {
        name = name.trim().toLowerCase(Locale.ROOT);
    }

    /** True except for NLL and the calibration errors. */
    public boolean higherIsBetter() {
        return !isIntrinsic() && !isCalibrationError();
    }

    /** ECE or Brier: a lower median is better. */
    public boolean isCalibrationError() {
        return CALIBRATION_ERRORS.contains(name);
    }

    /** Direction of {@link #robustness}: higher for NLL (1/median) and extrinsic scores, lower for calibration errors. */
    public boolean robustnessHigherIsBetter() {
        return !isCalibrationError();
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
        if (isCalibrationError()) {
            return "calibration (median " + name + ", lower is better)";
        }
        return isIntrinsic() ? "intrinsic (1/median NLL)" : "extrinsic (median " + name + ")";
    }
}
