package dev.robustsweep.trainers.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.model.EncoderInput;
import java.util.List;

/**
 * Pads a batch to its own longest sequence (dynamic padding) and builds the encoder's inputs:
 * ids (pad_token_id in pads), token types, position ids (BERT 0..T-1; RoBERTa padding_idx + 1 + i,
 * pads at padding_idx) and the 1/0 attention mask.
 */
public final class Batcher {
    private final EncoderConfig config;

    public Batcher(EncoderConfig config) {
        this.config = config;
    }

    public EncoderInput input(List<TokenizedExample> batch, NDManager manager) {
        int b = batch.size();
        int t = 0;
        for (TokenizedExample ex : batch) t = Math.max(t, ex.ids().length);
        long[] ids = new long[b * t];
        long[] types = new long[b * t];
        long[] positions = new long[b * t];
        float[] mask = new float[b * t];
        int first = config.firstPositionId();
        boolean oneTokenType = config.typeVocabSize == 1;
        for (int i = 0; i < b; i++) {
            TokenizedExample ex = batch.get(i);
            for (int j = 0; j < t; j++) {
                int k = i * t + j;
                if (j < ex.ids().length) {
                    ids[k] = ex.ids()[j];
                    types[k] = oneTokenType ? 0 : ex.typeIds()[j];
                    positions[k] = first + j;
                    mask[k] = 1f;
                } else {
                    ids[k] = config.padTokenId;
                    positions[k] = config.isRoberta() ? config.padTokenId : j;
                }
            }
        }
        Shape shape = new Shape(b, t);
        return new EncoderInput(manager.create(ids, shape), manager.create(types, shape),
                manager.create(positions, shape), manager.create(mask, shape));
    }

    /** Labels of a batch as an int64 array [batch]. */
    public static NDArray labels(List<TokenizedExample> batch, NDManager manager) {
        long[] labels = new long[batch.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = batch.get(i).label();
        return manager.create(labels);
    }

    /** Number of real (non-pad) tokens in a batch. */
    public static long tokens(List<TokenizedExample> batch) {
        long n = 0;
        for (TokenizedExample ex : batch) n += ex.ids().length;
        return n;
    }
}
