package dev.robustsweep.reports.stats;

import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The studentized range distribution of Q = (max - min of k standard normals) / S, with
 * df S^2 ~ chi-square(df) independent (Tukey; the null distribution behind the Nemenyi test).
 * CDF by numerical integration (as scipy.stats.studentized_range does):
 * <pre>
 *   P(Q &lt;= q; k, inf) = k * Integral phi(z) [Phi(z) - Phi(z - q)]^(k-1) dz
 *   P(Q &lt;= q; k, df)  = Integral_0^inf f_S(s) P(Q &lt;= q s; k, inf) ds,
 *   f_S(s) = df^(df/2) s^(df-1) exp(-df s^2 / 2) / (Gamma(df/2) 2^(df/2 - 1))
 * </pre>
 * both integrals by composite 10-point Gauss-Legendre rules; the quantile by Brent's method on the CDF.
 * Accuracy against scipy 1.17: see StudentizedRangeGoldenTest.
 */
public final class StudentizedRange {
    private static final double[] GL_X = {
        -0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.1488743389816312,
        0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717};
    private static final double[] GL_W = {
        0.0666713443086881, 0.1494513491505806, 0.2190863625159820, 0.2692667193099963, 0.2955242247147529,
        0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881};
    private static final double Z_RANGE = 9.0;       // phi(9) ~ 1e-18: nothing beyond
    private static final int INNER_PANELS = 12;
    private static final int OUTER_PANELS = 3;  // per segment between cuts
    private static final double LOG_DENSITY_CUT = 45; // outer range: where log f_S is within 45 of its max
    private static final double SQRT2 = Math.sqrt(2);

    private StudentizedRange() {
    }

    /** P(Q &lt;= q) for k &gt;= 2 groups and df &gt;= 1 degrees of freedom (Double.POSITIVE_INFINITY allowed). */
    public static double cdf(double q, int k, double df) {
        check(k, df);
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q <= 0) {
            return 0.0;
        }
        if (Double.isInfinite(q)) {
            return 1.0;
        }
        if (Double.isInfinite(df)) {
            return clamp(rangeCdf(q, k));
        }
        double logNorm = (df / 2) * Math.log(df) - Gamma.logGamma(df / 2) - (df / 2 - 1) * Math.log(2);
        double mode = Math.sqrt(Math.max(df - 1, 0) / df);
        double logMax = logDensity(Math.max(mode, 1e-300), df, logNorm);
        double lo = 0;
        if (mode > 0 && logDensity(1e-300, df, logNorm) < logMax - LOG_DENSITY_CUT) {
            lo = bisect(0, mode, df, logNorm, logMax - LOG_DENSITY_CUT, true);
        }
        double hiStart = mode + 1;
        while (logDensity(hiStart, df, logNorm) > logMax - LOG_DENSITY_CUT) {
            hiStart *= 2;
        }
        double hi = bisect(mode, hiStart, df, logNorm, logMax - LOG_DENSITY_CUT, false);
        // break the outer range where P(range <= q s) changes fastest (q s of a few units), so that a
        // large q (heavy-tailed small df) is integrated as finely near s = 0 as elsewhere
        java.util.TreeSet<Double> cuts = new java.util.TreeSet<>(java.util.List.of(lo, hi));
        for (double c : new double[] {0.25, 0.5, 1, 2, 3, 4, 6, 8, 12}) {
            if (c / q > lo && c / q < hi) {
                cuts.add(c / q);
            }
        }
        double sum = 0;
        Double a = null;
        for (double b : cuts) {
            if (a != null) {
                double h = (b - a) / OUTER_PANELS;
                for (int p = 0; p < OUTER_PANELS; p++) {
                    double mid = a + (p + 0.5) * h;
                    for (int i = 0; i < GL_X.length; i++) {
                        double s = mid + 0.5 * h * GL_X[i];
                        sum += GL_W[i] * 0.5 * h * Math.exp(logDensity(s, df, logNorm)) * rangeCdf(q * s, k);
                    }
                }
            }
            a = b;
        }
        return clamp(sum);
    }

    /** The q with P(Q &lt;= q) = p, 0 &lt; p &lt; 1. */
    public static double quantile(double p, int k, double df) {
        check(k, df);
        if (!(p > 0 && p < 1)) {
            if (p == 0) {
                return 0;
            }
            if (p == 1) {
                return Double.POSITIVE_INFINITY;
            }
            throw new IllegalArgumentException("probability must be in [0, 1], found " + p);
        }
        // a finite df only widens the distribution: its quantile lies above the df = infinity one
        double lo = Double.isInfinite(df) ? 0 : quantile(p, k, Double.POSITIVE_INFINITY);
        double hi = Math.max(1, lo * 1.5);
        while (cdf(hi, k, df) < p) {
            lo = hi;
            hi *= 2;
        }
        return new BrentSolver(1e-10, 1e-10).solve(500, q -> cdf(q, k, df) - p, lo, hi);
    }

    /** Nemenyi critical difference of mean ranks (Demsar 2006): q_alpha / sqrt(2) * sqrt(k (k + 1) / (6 N)). */
    public static double nemenyiCriticalDifference(int k, int blocks, double alpha) {
        double q = quantile(1 - alpha, k, Double.POSITIVE_INFINITY) / SQRT2;
        return q * Math.sqrt(k * (k + 1) / (6.0 * blocks));
    }

    /** P(range of k standard normals &lt;= w). */
    static double rangeCdf(double w, int k) {
        double h = 2 * Z_RANGE / INNER_PANELS;
        double sum = 0;
        for (int p = 0; p < INNER_PANELS; p++) {
            double mid = -Z_RANGE + (p + 0.5) * h;
            for (int i = 0; i < GL_X.length; i++) {
                double z = mid + 0.5 * h * GL_X[i];
                double inside = normalMass(z - w, z);
                if (inside > 0) {
                    sum += GL_W[i] * 0.5 * h * Math.exp(-0.5 * z * z) * Math.pow(inside, k - 1);
                }
            }
        }
        return k * sum / Math.sqrt(2 * Math.PI);
    }

    /** Phi(b) - Phi(a) for a &lt;= b, from the tail that avoids cancellation. */
    private static double normalMass(double a, double b) {
        if (a >= 0) {
            return 0.5 * (Erf.erfc(a / SQRT2) - Erf.erfc(b / SQRT2));
        }
        if (b <= 0) {
            return 0.5 * (Erf.erfc(-b / SQRT2) - Erf.erfc(-a / SQRT2));
        }
        return 1 - 0.5 * Erf.erfc(b / SQRT2) - 0.5 * Erf.erfc(-a / SQRT2);
    }

    private static double logDensity(double s, double df, double logNorm) {
        return logNorm + (df - 1) * Math.log(s) - df * s * s / 2;
    }

    /** s in [a, b] where the log density crosses level (rising on [0, mode], falling after). */
    private static double bisect(double a, double b, double df, double logNorm, double level, boolean rising) {
        for (int i = 0; i < 200; i++) {
            double m = 0.5 * (a + b);
            boolean above = logDensity(Math.max(m, 1e-300), df, logNorm) > level;
            if (above == rising) {
                b = m;
            } else {
                a = m;
            }
        }
        return 0.5 * (a + b);
    }

    private static double clamp(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    private static void check(int k, double df) {
        if (k < 2) {
            throw new IllegalArgumentException("the studentized range needs k >= 2 groups, found " + k);
        }
        if (!(df >= 1)) {
            throw new IllegalArgumentException("the studentized range needs df >= 1, found " + df);
        }
    }
}
