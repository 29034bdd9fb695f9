package dev.robustsweep.trainers.posthoc;

/**
 * Temperature scaling (Guo et al. 2017): one scalar T > 0, softmax(z / T), with T minimising the mean
 * NLL on held-out data. Log-probabilities stand in for logits (log_softmax(z) = z - c per row, and
 * softmax is invariant to a per-row shift, so softmax(log_softmax(z) / T) = softmax(z / T)).
 *
 * <p>The NLL is convex in beta = 1/T (log-sum-exp of a linear function minus a linear function), hence
 * unimodal in log beta: a golden-section search over log beta in [-10, 10] finds its minimum.
 */
public final class TemperatureScaling {
    private static final double LO = -10;
    private static final double HI = 10;

    private TemperatureScaling() {}

    /** The T minimising the mean NLL of {@code heldOut}. */
    public static double fit(Predictions heldOut) {
        double a = LO;
        double b = HI;
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = nll(heldOut, Math.exp(c));
        double fd = nll(heldOut, Math.exp(d));
        for (int it = 0; it < 200 && b - a > 1e-10; it++) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = nll(heldOut, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = nll(heldOut, Math.exp(d));
            }
        }
        return 1.0 / Math.exp((a + b) / 2);
    }

    /**
     * "upper" when the fitted T is at the search range's upper end e^10 (the held-out NLL still falls as
     * T grows: the fine-tune predicts no better than uniform there, and T -> infinity is the uniform
     * prediction), "lower" at e^-10, null inside the range.
     */
    public static String atBound(double temperature) {
        double log = Math.log(temperature);
        return log >= HI - 1e-6 ? "upper" : log <= LO + 1e-6 ? "lower" : null;
    }

    /** The search range of T, [e^-10, e^10]. */
    public static double[] searchRange() {
        return new double[] {Math.exp(LO), Math.exp(HI)};
    }

    /** Mean NLL of the gold labels under softmax(beta z). */
    static double nll(Predictions p, double beta) {
        int k = p.k();
        double sum = 0;
        for (int i = 0; i < p.size(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, beta * p.logProbs()[i * k + c]);
            double lse = 0;
            for (int c = 0; c < k; c++) lse += Math.exp(beta * p.logProbs()[i * k + c] - max);
            sum += max + Math.log(lse) - beta * p.logProbs()[i * k + p.gold()[i]];
        }
        return sum / p.size();
    }

    /** log softmax(z / T) of every row. */
    public static Predictions apply(Predictions p, double temperature) {
        int k = p.k();
        float[] out = new float[p.logProbs().length];
        for (int i = 0; i < p.size(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, p.logProbs()[i * k + c] / temperature);
            double lse = 0;
            for (int c = 0; c < k; c++) lse += Math.exp(p.logProbs()[i * k + c] / temperature - max);
            double log = max + Math.log(lse);
            for (int c = 0; c < k; c++) out[i * k + c] = (float) (p.logProbs()[i * k + c] / temperature - log);
        }
        return new Predictions(out, p.gold(), k);
    }
}
