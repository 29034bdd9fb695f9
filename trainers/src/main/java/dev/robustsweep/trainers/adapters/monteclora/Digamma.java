package dev.robustsweep.trainers.adapters.monteclora;

import ai.djl.ndarray.NDArray;

/**
 * The digamma function psi(x) = d/dx ln Gamma(x) for x > 0, built from engine ops only, so that
 * autograd differentiates it (its derivative is the matching approximation of trigamma; the engine
 * has lgamma but no digamma).
 *
 * <p>Recurrence psi(x) = psi(x + 8) - sum_{i=0..7} 1/(x + i), then the asymptotic series at
 * y = x + 8 >= 8 (Abramowitz and Stegun 6.3.18):
 * psi(y) = ln y - 1/(2y) - 1/(12 y^2) + 1/(120 y^4) - 1/(252 y^6) + 1/(240 y^8) - 1/(132 y^10) + 691/(32760 y^12),
 * whose truncation error is below 1/(12 y^14) < 2e-14 at y >= 8. In float64 the result is accurate to
 * a few ulps of the largest term (1e-13 absolute for x >= 0.1, 1e-12 relative below); in float32 to
 * float32 rounding.
 */
public final class Digamma {
    /** Shift of the recurrence: the series is evaluated at x + SHIFT. */
    static final int SHIFT = 8;
    /** Coefficients of 1/y^2, 1/y^4, ... 1/y^12 in the asymptotic series (Bernoulli numbers B_2k / 2k). */
    private static final double[] SERIES = {-1.0 / 12, 1.0 / 120, -1.0 / 252, 1.0 / 240, -1.0 / 132, 691.0 / 32760};

    private Digamma() {}

    /** psi(x) elementwise, x > 0 of any shape, in x's data type. */
    public static NDArray of(NDArray x) {
        // sum_{i<SHIFT} 1/(x + i) in one broadcast: x[..., None] + [0, 1, ..., SHIFT-1]
        NDArray offsets = x.getManager().arange(0, SHIFT, 1, x.getDataType());
        NDArray recurrence = x.expandDims(-1).add(offsets).pow(-1).sum(new int[] {-1});
        NDArray y = x.add(Scalars.like(x, SHIFT));
        NDArray inv2 = y.pow(-2);
        // Horner in 1/y^2: inv2 * (c1 + inv2 * (c2 + ...))
        NDArray poly = inv2.mul(Scalars.like(x, SERIES[SERIES.length - 1]));
        for (int k = SERIES.length - 2; k >= 0; k--) poly = inv2.mul(poly.add(Scalars.like(x, SERIES[k])));
        return y.log().sub(y.pow(-1).mul(Scalars.like(x, 0.5))).add(poly).sub(recurrence);
    }

    /** The same formula in double precision (for CPU-side values). */
    public static double of(double x) {
        double recurrence = 0;
        for (int i = 0; i < SHIFT; i++) recurrence += 1.0 / (x + i);
        double y = x + SHIFT;
        double inv2 = 1.0 / (y * y);
        double poly = 0;
        for (int k = SERIES.length - 1; k >= 0; k--) poly = inv2 * (SERIES[k] + poly);
        return Math.log(y) - 0.5 / y + poly - recurrence;
    }
}
