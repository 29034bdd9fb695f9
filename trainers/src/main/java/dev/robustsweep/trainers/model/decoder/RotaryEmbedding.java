package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in Hugging Face's rotate_half convention (LlamaRotaryEmbedding and
 * apply_rotary_pos_emb): inv_freq_i = theta^(-2i/d) for i < d/2, angle = position * inv_freq,
 * cos/sin over [angles, angles] (the two halves of a head), q' = q cos + rotate_half(q) sin with
 * rotate_half([x1, x2]) = [-x2, x1]. rope_scaling type llama3 rescales inv_freq by wavelength
 * (Llama 3.1: low frequencies divided by factor, high ones kept, a smooth blend in between).
 */
public final class RotaryEmbedding {
    private final float[] invFreq;
    private final int headDim;

    public RotaryEmbedding(DecoderConfig config) {
        this.headDim = config.headDimension();
        this.invFreq = inverseFrequencies(config);
    }

    /** theta^(-2i/d), then the llama3 rescaling when configured. */
    static float[] inverseFrequencies(DecoderConfig config) {
        int d = config.headDimension();
        float[] inv = new float[d / 2];
        for (int i = 0; i < inv.length; i++) {
            // 1 / theta^(2i/d), computed in float32 as torch does
            float exponent = (float) (2 * i) / d;
            inv[i] = (float) (1.0 / (float) Math.pow(config.ropeTheta, exponent));
        }
        if (!"llama3".equals(config.ropeType())) return inv;
        double factor = config.ropeScaling.get("factor").asDouble();
        double low = config.ropeScaling.get("low_freq_factor").asDouble();
        double high = config.ropeScaling.get("high_freq_factor").asDouble();
        double oldContext = config.ropeScaling.get("original_max_position_embeddings").asDouble();
        double lowFreqWavelen = oldContext / low;
        double highFreqWavelen = oldContext / high;
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen < highFreqWavelen) {
                out[i] = inv[i]; // high frequency: unchanged
            } else if (wavelen > lowFreqWavelen) {
                out[i] = (float) (inv[i] / factor); // low frequency: divided by factor
            } else {
                // medium: (1 - s) inv / factor + s inv, s = (old_context / wavelen - low) / (high - low)
                double smooth = (oldContext / wavelen - low) / (high - low);
                out[i] = (float) ((1 - smooth) * inv[i] / factor + smooth * inv[i]);
            }
        }
        return out;
    }

    /** cos and sin [batch, 1, seq, head_dim] for float position ids [batch, seq]. */
    public NDList cosSin(NDArray positionIds) {
        NDManager m = positionIds.getManager();
        long b = positionIds.getShape().get(0);
        long t = positionIds.getShape().get(1);
        NDArray inv = m.create(invFreq, new Shape(1, 1, invFreq.length)).toDevice(positionIds.getDevice(), false);
        NDArray angles = positionIds.toType(DataType.FLOAT32, false).reshape(b, t, 1).mul(inv); // [b, t, d/2]
        NDArray emb = angles.concat(angles, -1).reshape(b, 1, t, headDim);
        return new NDList(emb.cos(), emb.sin());
    }

    /** x cos + rotate_half(x) sin for x [batch, heads, seq, head_dim]. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(rotateHalf(x).mul(sin));
    }

    /** [x1, x2] -> [-x2, x1] over the last axis. */
    static NDArray rotateHalf(NDArray x) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        NDArray x1 = x.get(new NDIndex("..., :" + d / 2));
        NDArray x2 = x.get(new NDIndex("..., " + d / 2 + ":"));
        return x2.neg().concat(x1, -1);
    }
}
