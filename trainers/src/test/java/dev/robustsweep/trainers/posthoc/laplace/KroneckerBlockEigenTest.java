package dev.robustsweep.trainers.posthoc.laplace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eigendecomposition of Kronecker factors as real models produce them: 384 x 384, rank 10 (many
 * zero eigenvalues, where commons-math3's EigenDecomposition may not converge). The SVD route
 * reconstructs the matrix and gives the same non-zero spectrum.
 */
class KroneckerBlockEigenTest {
    @Test
    void svdRouteIsTheEigendecompositionOfARankDeficientFactor() {
        int n = 384;
        int rank = 10;
        SplittableRandom rng = new SplittableRandom(4);
        double[][] x = new double[rank][n];
        for (double[] row : x) for (int i = 0; i < n; i++) row[i] = KronLaplace.gaussian(rng);
        double[][] m = new double[n][n];
        for (double[] row : x) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] += row[i] * row[j];
        double[][][] e = KroneckerBlock.svdEigen(m);
        double[] lambda = e[0][0];
        double[][] q = e[1];
        double maxErr = 0;
        for (int i = 0; i < n; i += 7) {
            for (int j = 0; j < n; j += 5) {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i][k] * lambda[k] * q[j][k];
                maxErr = Math.max(maxErr, Math.abs(s - m[i][j]));
            }
        }
        assertEquals(0, maxErr, 1e-9 * n);
        // the non-zero spectrum: the eigenvalues of the 10 x 10 Gram matrix X X^T
        double[][] gram = new double[rank][rank];
        for (int a = 0; a < rank; a++) for (int b = 0; b < rank; b++) for (int i = 0; i < n; i++) gram[a][b] += x[a][i] * x[b][i];
        double[] expected = new org.apache.commons.math3.linear.EigenDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(gram)).getRealEigenvalues();
        Arrays.sort(expected);
        double[] top = Arrays.stream(lambda).sorted().skip(n - rank).toArray();
        for (int k = 0; k < rank; k++) assertEquals(expected[k], top[k], 1e-8 * expected[rank - 1]);
        // and the rest is zero
        assertEquals(0, Arrays.stream(lambda).sorted().limit(n - rank).max().orElse(0), 1e-8 * expected[rank - 1]);
    }
}
