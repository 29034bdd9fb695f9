package dev.robustsweep.trainers.posthoc.laplace;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The KFAC Gauss-Newton curvature of one weight matrix W [d_out, d_in] (y = W a): H ~ G (x) A in the
 * row-major vec(W) order (H[(o,i),(o',i')] = G[o,o'] A[i,i']), with (Martens and Grosse 2015; KFAC-reduce
 * of Eschenhagen et al. 2023 for weight sharing over tokens)
 * A = (1/N) sum_n a_n a_n^T (a_n: the layer input, averaged over the example's tokens) and
 * G = sum_n sum_c g_nc g_nc^T (g_nc: the gradient at the layer output, summed over tokens, of
 * f_n^T L_n[:, c] where L_n L_n^T = diag(p_n) - p_n p_n^T, the softmax likelihood's Hessian in logit space).
 * The posterior precision G (x) A + delta I is diagonal in the eigenbasis Q_G (x) Q_A with eigenvalues
 * lambda_G,o lambda_A,i + delta; commons-math3 gives the small symmetric eigendecompositions.
 */
public final class KroneckerBlock {
    final String name;
    final int dOut;
    final int dIn;
    final double[][] a;
    final double[][] g;
    long examples;
    /** After {@link #decompose()}: eigenvalues and column eigenvectors of G and A. */
    double[] eigG;
    double[] eigA;
    double[][] qG;
    double[][] qA;

    public KroneckerBlock(String name, int dOut, int dIn) {
        this.name = name;
        this.dOut = dOut;
        this.dIn = dIn;
        this.a = new double[dIn][dIn];
        this.g = new double[dOut][dOut];
    }

    public String name() {
        return name;
    }

    public int size() {
        return dOut * dIn;
    }

    /** Adds examples' inputs a [n][d_in] to sum a a^T (once per example). */
    public void addInputs(float[] inputs, int n) {
        addOuter(a, inputs, n, dIn);
        examples += n;
    }

    /** Adds output gradients g [n][d_out] (one class column of L) to sum g g^T. */
    public void addOutputGradients(float[] grads, int n) {
        addOuter(g, grads, n, dOut);
    }

    private static void addOuter(double[][] m, float[] rows, int n, int d) {
        for (int k = 0; k < n; k++) {
            int off = k * d;
            for (int i = 0; i < d; i++) {
                double vi = rows[off + i];
                if (vi == 0) continue;
                double[] mi = m[i];
                for (int j = 0; j < d; j++) mi[j] += vi * rows[off + j];
            }
        }
    }

    /** Eigendecomposes G and A/N (symmetrised; tiny negative eigenvalues from rounding clipped to 0). */
    public void decompose() {
        double[][] an = new double[dIn][dIn];
        for (int i = 0; i < dIn; i++) for (int j = 0; j < dIn; j++) an[i][j] = (a[i][j] + a[j][i]) / (2.0 * Math.max(1, examples));
        double[][] gs = new double[dOut][dOut];
        for (int i = 0; i < dOut; i++) for (int j = 0; j < dOut; j++) gs[i][j] = (g[i][j] + g[j][i]) / 2.0;
        double[][][] a2 = symmetricEigen(an);
        double[][][] g2 = symmetricEigen(gs);
        eigA = clip(a2[0][0]);
        qA = a2[1];
        eigG = clip(g2[0][0]);
        qG = g2[1];
    }

    /**
     * {eigenvalues (one row), column eigenvectors} of a symmetric positive semi-definite matrix. The
     * factors of real models have many (near-)zero eigenvalues (rank at most examples x classes), on
     * which commons-math3's EigenDecomposition can fail to converge; for a symmetric PSD matrix the
     * SVD M = U S V^T is its eigendecomposition (U = V on the non-zero part; a zero eigenvalue
     * contributes nothing to lambda_G lambda_A whatever its vector), and Golub-Kahan always converges.
     */
    static double[][][] symmetricEigen(double[][] m) {
        try {
            EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(m, false));
            return new double[][][] {{e.getRealEigenvalues()}, columns(e.getV())};
        } catch (org.apache.commons.math3.exception.MathIllegalStateException notConverged) {
            return svdEigen(m);
        }
    }

    /** The SVD route of {@link #symmetricEigen}: {singular values, U}. */
    static double[][][] svdEigen(double[][] m) {
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(m, false));
        return new double[][][] {{svd.getSingularValues()}, columns(svd.getU())};
    }

    private static double[] clip(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] = Math.max(0, out[i]);
        return out;
    }

    private static double[][] columns(RealMatrix v) {
        return v.getData();
    }

    /** sum over eigenvalue pairs of log(lambda_G lambda_A + delta): log det of this block's posterior precision. */
    double logDet(double delta) {
        double s = 0;
        for (double lg : eigG) for (double la : eigA) s += Math.log(lg * la + delta);
        return s;
    }

    /** Q_G^T J Q_A for J [d_out][d_in] (row-major): J in the eigenbasis. */
    double[] rotate(double[] j) {
        double[] tmp = new double[dOut * dIn]; // Q_G^T J
        for (int o = 0; o < dOut; o++) {
            for (int p = 0; p < dOut; p++) {
                double q = qG[p][o];
                if (q == 0) continue;
                for (int i = 0; i < dIn; i++) tmp[o * dIn + i] += q * j[p * dIn + i];
            }
        }
        double[] out = new double[dOut * dIn]; // (Q_G^T J) Q_A
        for (int o = 0; o < dOut; o++) {
            for (int i = 0; i < dIn; i++) {
                double t = tmp[o * dIn + i];
                if (t == 0) continue;
                double[] qi = qA[i];
                for (int k = 0; k < dIn; k++) out[o * dIn + k] += t * qi[k];
            }
        }
        return out;
    }

    /** J1^T (G (x) A + delta I)^{-1} J2 from rotated Jacobians. */
    double quadratic(double[] r1, double[] r2, double delta) {
        double s = 0;
        for (int o = 0; o < dOut; o++) {
            for (int i = 0; i < dIn; i++) s += r1[o * dIn + i] * r2[o * dIn + i] / (eigG[o] * eigA[i] + delta);
        }
        return s;
    }

    /** The dense KFAC curvature G (x) A (tests only: size^2 doubles). */
    public double[][] denseCurvature() {
        double[][] h = new double[size()][size()];
        double n = Math.max(1, examples);
        for (int o = 0; o < dOut; o++)
            for (int i = 0; i < dIn; i++)
                for (int p = 0; p < dOut; p++)
                    for (int k = 0; k < dIn; k++) h[o * dIn + i][p * dIn + k] = g[o][p] * a[i][k] / n;
        return h;
    }
}
