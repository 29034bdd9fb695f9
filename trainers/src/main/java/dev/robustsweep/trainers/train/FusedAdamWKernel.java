package dev.robustsweep.trainers.train;

import java.nio.FloatBuffer;

/**
 * torch.optim.AdamW's single-tensor update (torch/optim/adamw.py) fused into one pass over a range of
 * elements, in float32 like torch's CPU kernels, for parameters whose memory {@link HostMemory} can view:
 * <pre>
 *   g  <- g * c                                   clip_grad_norm_'s in-place g.mul_(c)
 *   p  <- p * (1 - lr wd)                         decoupled weight decay
 *   m  <- m + (1 - b1) (g - m)                    exp_avg.lerp_(grad, 1 - b1)
 *   v  <- b2 v + (1 - b2) g^2                     exp_avg_sq.mul_(b2).addcmul_(grad, grad, 1 - b2)
 *   p  <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 */
final class FusedAdamWKernel {
    private FusedAdamWKernel() {}

    /**
     * Sum of g_i^2 over [from, to), accumulated in double (the squared global norm's share of this range).
     * Four running sums (elements i mod 4), added at the end: four independent additions in flight instead of
     * one chain, about 3x faster, and the order is still fixed.
     */
    static double sumOfSquares(FloatBuffer g, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            float x0 = g.get(i), x1 = g.get(i + 1), x2 = g.get(i + 2), x3 = g.get(i + 3);
            s0 += (double) x0 * x0;
            s1 += (double) x1 * x1;
            s2 += (double) x2 * x2;
            s3 += (double) x3 * x3;
        }
        for (; i < to; i++) {
            float x = g.get(i);
            s0 += (double) x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * One AdamW step on elements [from, to). {@code clip} multiplies the gradient first and the clipped
     * gradient is written back (hooks after the step read it) unless it is 1.
     */
    static void step(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, int from, int to,
                     float clip, float decay, double beta1, double beta2, float stepSize, float bc2Sqrt, float eps) {
        // 1 - beta in double, then float (as torch's Python scalars): 1f - (float) 0.999 is off by 1.3e-5 relative
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float b2 = (float) beta2;
        boolean clipped = clip != 1f;
        for (int i = from; i < to; i++) {
            float gi = g.get(i);
            if (clipped) {
                gi *= clip;
                g.put(i, gi);
            }
            float mi = m.get(i);
            mi += oneMinusB1 * (gi - mi);
            float vi = b2 * v.get(i) + oneMinusB2 * gi * gi;
            m.put(i, mi);
            v.put(i, vi);
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p.put(i, p.get(i) * decay - stepSize * (mi / denom));
        }
    }
}
