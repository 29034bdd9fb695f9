package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of every layer for the tokens seen so far ([batch, kv_heads, seq, head_dim] each,
 * after the rotary embedding), so a generation step runs the model on the new token only. The
 * arrays are kept out of the caller's NDScope; {@link #close()} frees them.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Tokens cached so far (0 when empty). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** Appends this step's keys and values for {@code layer}; returns the full [past + new] pair. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
        replace(layer, fullK, fullV);
        return new NDArray[] {fullK, fullV};
    }

    /** Keeps rows {@code rows} of the batch, in that order (beam search's reordering). */
    public void select(NDArray rows) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) continue;
            replace(i, keys[i].get(new NDIndex("{}", rows)), values[i].get(new NDIndex("{}", rows)));
        }
    }

    private void replace(int layer, NDArray k, NDArray v) {
        NDArray oldK = keys[layer];
        NDArray oldV = values[layer];
        NDScope.unregister(k, v);
        keys[layer] = k;
        values[layer] = v;
        // the previous arrays are no longer needed (unless they are the same object)
        if (oldK != null && oldK != k) oldK.close();
        if (oldV != null && oldV != v) oldV.close();
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) keys[i].close();
            if (values[i] != null) values[i].close();
            keys[i] = null;
            values[i] = null;
        }
    }
}
