package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Embeddings followed by N encoder layers; returns the last hidden state [batch, seq, hidden]. */
public final class Encoder {
    final EncoderConfig config;
    final Embeddings embeddings;
    final List<EncoderLayer> layers;

    public Encoder(EncoderConfig config, Embeddings embeddings, List<EncoderLayer> layers) {
        this.config = config;
        this.embeddings = embeddings;
        this.layers = layers;
    }

    public NDArray forward(EncoderInput in, ForwardContext ctx) {
        NDArray additiveMask = additiveMask(in.attentionMask());
        NDArray h = embeddings.forward(in, ctx);
        for (EncoderLayer layer : layers) {
            h = layer.forward(h, additiveMask, ctx);
        }
        return h;
    }

    /**
     * [batch, seq] 1/0 mask -> [batch, 1, 1, seq] with 0 for tokens and float32's lowest value for pads;
     * null when nothing is padded (adding zeros changes no score, and costs a pass over every [t, t] map).
     */
    static NDArray additiveMask(NDArray mask) {
        if (mask.min().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat() > 0) return null;
        return mask.expandDims(1).expandDims(1).sub(Scalars.of(mask, 1)).mul(Scalars.of(mask, Float.MAX_VALUE));
    }

    public EncoderConfig config() {
        return config;
    }

    public List<EncoderLayer> layers() {
        return layers;
    }
}
