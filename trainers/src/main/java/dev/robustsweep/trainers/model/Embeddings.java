package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;

/** word + position + token-type embeddings, then LayerNorm and dropout (BERT and RoBERTa). */
public final class Embeddings {
    final Parameter word;
    final Parameter position;
    final Parameter tokenType;
    final LayerNorm layerNorm;
    private final double dropout;

    public Embeddings(Parameter word, Parameter position, Parameter tokenType, LayerNorm layerNorm, double dropout) {
        this.word = word;
        this.position = position;
        this.tokenType = tokenType;
        this.layerNorm = layerNorm;
        this.dropout = dropout;
    }

    /** [batch, seq] ids -> [batch, seq, hidden]. */
    public NDArray forward(EncoderInput in, ForwardContext ctx) {
        NDArray e = lookup(in.inputIds(), word.array());
        e = e.add(lookup(in.tokenTypeIds(), tokenType.array()));
        e = e.add(lookup(in.positionIds(), position.array()));
        return Dropout.apply(layerNorm.forward(e), dropout, ctx);
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
