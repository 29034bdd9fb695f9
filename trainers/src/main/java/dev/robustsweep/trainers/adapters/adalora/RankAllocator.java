package dev.robustsweep.trainers.adapters.adalora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.model.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdaLoRA's importance-driven rank allocation (Zhang et al. 2023, section 3.2-3.3; PEFT's RankAllocator).
 *
 * <p>After every optimizer step (while step < T - tfinal), for every element of A, B and E:
 * ipt = |p * grad| (eq. 8), ipt_bar = beta1 ipt_bar + (1 - beta1) ipt (eq. 9),
 * unc = beta2 unc + (1 - beta2) |ipt - ipt_bar| (eq. 10), score = ipt_bar * unc (eq. 11).
 * Triplet score of rank i of a layer: s_E[i] + mean_j s_A[i, j] + mean_k s_B[k, i] (eq. 7).
 * Masking: with k = init budget - budget, every E entry whose triplet score is at or below the
 * k-th smallest over all layers is set to 0 (in place, outside autograd).
 *
 * <p>The EMAs live in the parameters' (the model's) manager; the per-step temporaries in an NDScope.
 */
public final class RankAllocator {
    private final List<AdaLoraAdapter> adapters;
    private final double beta1;
    private final double beta2;
    private final Map<NDArray, NDArray[]> ema = new IdentityHashMap<>();

    public RankAllocator(List<AdaLoraAdapter> adapters, double beta1, double beta2) {
        this.adapters = adapters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        reset();
    }

    /** Zeroes the sensitivity and uncertainty EMAs (PEFT reset_ipt, done when the final pattern is fixed). */
    public void reset() {
        for (NDArray[] pair : ema.values()) for (NDArray x : pair) x.close();
        ema.clear();
        for (AdaLoraAdapter adapter : adapters) {
            for (Parameter p : adapter.parameters()) {
                NDArray w = p.array();
                NDArray ipt = w.getManager().zeros(w.getShape());
                NDArray unc = w.getManager().zeros(w.getShape());
                NDScope.unregister(ipt, unc);
                ema.put(w, new NDArray[] {ipt, unc});
            }
        }
    }

    /** Updates the importance EMAs from the current parameters and their gradients (eq. 8-10). */
    public void updateImportance() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (AdaLoraAdapter adapter : adapters) {
                for (Parameter p : adapter.parameters()) {
                    NDArray w = p.array();
                    NDArray grad = w.getGradient();
                    NDArray ipt = w.mul(grad).abs();
                    NDArray[] pair = ema.get(w);
                    pair[0].muli(beta1).addi(ipt.mul(1 - beta1));
                    pair[1].muli(beta2).addi(ipt.sub(pair[0]).abs().muli(1 - beta2));
                    grad.close();
                }
            }
        }
    }

    /** Triplet scores, one row per adapter, each of the adapter's rank. */
    public float[][] tripletScores() {
        float[][] out = new float[adapters.size()][];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList rows = new NDList();
            for (AdaLoraAdapter adapter : adapters) {
                NDArray sA = score(adapter.a()).mean(new int[] {1});
                NDArray sB = score(adapter.b()).mean(new int[] {0});
                NDArray sE = score(adapter.e());
                rows.add(sE.add(sA).add(sB));
            }
            float[] all = NDArrays.concat(rows).toFloatArray();
            int offset = 0;
            for (int i = 0; i < adapters.size(); i++) {
                int r = adapters.get(i).rank();
                out[i] = Arrays.copyOfRange(all, offset, offset + r);
                offset += r;
            }
        }
        return out;
    }

    private NDArray score(Parameter p) {
        NDArray[] pair = ema.get(p.array());
        return pair[0].mul(pair[1]);
    }

    /**
     * Masks E to the budget and returns the rank pattern (true = rank kept): with k = init - budget,
     * the entries whose triplet score is at or below the k-th smallest are zeroed.
     */
    public boolean[][] maskToBudget(int budget) {
        float[][] scores = tripletScores();
        int total = 0;
        for (float[] s : scores) total += s.length;
        int k = total - budget;
        double threshold = Double.NEGATIVE_INFINITY;
        if (k > 0) {
            float[] all = new float[total];
            int offset = 0;
            for (float[] s : scores) {
                System.arraycopy(s, 0, all, offset, s.length);
                offset += s.length;
            }
            Arrays.sort(all);
            threshold = all[k - 1];
        }
        boolean[][] pattern = new boolean[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            pattern[i] = new boolean[scores[i].length];
            for (int j = 0; j < scores[i].length; j++) pattern[i][j] = !(scores[i][j] <= threshold);
        }
        applyPattern(pattern);
        return pattern;
    }

    /** Zeroes the E entries a rank pattern drops (PEFT mask_using_rank_pattern). */
    public void applyPattern(boolean[][] pattern) {
        for (int i = 0; i < adapters.size(); i++) {
            float[] mask = new float[pattern[i].length];
            boolean all = true;
            for (int j = 0; j < mask.length; j++) {
                mask[j] = pattern[i][j] ? 1f : 0f;
                all &= pattern[i][j];
            }
            if (all) continue;
            NDArray e = adapters.get(i).e().array();
            try (NDArray m = e.getManager().create(mask, new Shape(mask.length))) {
                e.muli(m);
            }
        }
    }

    /** Releases the EMAs. */
    public void close() {
        for (NDArray[] pair : ema.values()) for (NDArray x : pair) x.close();
        ema.clear();
    }
}
