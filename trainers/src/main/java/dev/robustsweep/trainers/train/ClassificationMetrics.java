package dev.robustsweep.trainers.train;

/**
 * Validation scores from gold labels and predicted log-probabilities: accuracy, mean NLL of the gold
 * label (natural log), F1 of the positive class (label 1), Matthews' correlation (multiclass form),
 * and the calibration scores (ECE, Brier, reliability bins: {@link Calibration}).
 */
public record ClassificationMetrics(double accuracy, double nll, double f1, double mcc, int examples, Calibration calibration) {

    public double ece() {
        return calibration.ece();
    }

    public double brier() {
        return calibration.brier();
    }

    /** Scores of predictive probabilities (e.g. an average over samples or checkpoints): log p is their NLL. */
    public static ClassificationMetrics fromProbabilities(double[] probs, int[] gold, int k) {
        float[] logProbs = new float[probs.length];
        for (int i = 0; i < probs.length; i++) logProbs[i] = (float) Math.log(probs[i]);
        return compute(logProbs, gold, k);
    }

    /** @param logProbs row-major [n, k] log-probabilities; @param gold labels in [0, k) */
    public static ClassificationMetrics compute(float[] logProbs, int[] gold, int k) {
        int n = gold.length;
        long[][] confusion = new long[k][k]; // [gold][predicted]
        double nllSum = 0;
        for (int i = 0; i < n; i++) {
            int pred = 0;
            for (int c = 1; c < k; c++) if (logProbs[i * k + c] > logProbs[i * k + pred]) pred = c;
            confusion[gold[i]][pred]++;
            nllSum -= logProbs[i * k + gold[i]];
        }
        long correct = 0;
        for (int c = 0; c < k; c++) correct += confusion[c][c];
        double[] probs = new double[logProbs.length];
        for (int i = 0; i < probs.length; i++) probs[i] = Math.exp(logProbs[i]);
        return new ClassificationMetrics((double) correct / n, nllSum / n, f1(confusion), mcc(confusion), n,
                Calibration.compute(probs, gold, k));
    }

    /** F1 of class 1: 2 TP / (2 TP + FP + FN); 0 when there is no positive at all. */
    static double f1(long[][] m) {
        if (m.length < 2) return 0;
        long tp = m[1][1];
        long fp = 0;
        long fn = 0;
        for (int c = 0; c < m.length; c++) {
            if (c == 1) continue;
            fp += m[c][1];
            fn += m[1][c];
        }
        return 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Matthews' correlation (Gorodkin's K-class form, which reduces to the binary formula); 0 if undefined. */
    static double mcc(long[][] m) {
        int k = m.length;
        double s = 0;
        double c = 0;
        double[] t = new double[k]; // true counts per class
        double[] p = new double[k]; // predicted counts per class
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                s += m[i][j];
                t[i] += m[i][j];
                p[j] += m[i][j];
            }
            c += m[i][i];
        }
        double pt = 0;
        double pp = 0;
        double tt = 0;
        for (int i = 0; i < k; i++) {
            pt += p[i] * t[i];
            pp += p[i] * p[i];
            tt += t[i] * t[i];
        }
        double denom = Math.sqrt(s * s - pp) * Math.sqrt(s * s - tt);
        return denom == 0 ? 0 : (c * s - pt) / denom;
    }
}
