package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.model.Scalars;

/**
 * The causal-LM loss as Hugging Face computes it (ForCausalLMLoss): token t+1 is predicted from
 * position t (logits shifted left, labels shifted right), labels equal to {@link #IGNORE_INDEX}
 * (-100: pads, and the prompt when train_on_inputs is false) carry no loss, and the loss is the
 * mean negative log-likelihood over the remaining tokens.
 */
public final class TokenNll {
    public static final long IGNORE_INDEX = -100;

    private TokenNll() {}

    /**
     * Per-token NLL [batch, seq] (0 where ignored) and its 1/0 mask, for logits [b, seq, V] and labels [b, seq]:
     * position t is scored against label t + 1, and the last position, which has no next token, is ignored.
     */
    public record PerToken(NDArray nll, NDArray mask) {
        /** Number of scored tokens. */
        public long count() {
            return (long) mask.sum().getFloat();
        }
    }

    public static PerToken perToken(NDArray logits, NDArray labels) {
        // as Hugging Face's ForCausalLMLoss: labels padded with one ignore_index and shifted left, so the logits
        // are used whole (slicing them would cost a [b, seq, V] zero-filled gradient and a copy in the backward)
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray ids = labels.toType(DataType.INT64, false);
        NDArray pad = ids.getManager().full(new Shape(ids.getShape().get(0), 1), (int) IGNORE_INDEX, DataType.INT64).toDevice(ids.getDevice(), false);
        NDArray target = ids.get(new NDIndex(":, 1:")).concat(pad, 1);
        NDArray ignoreIds = target.getManager().full(target.getShape(), (int) IGNORE_INDEX, DataType.INT64).toDevice(target.getDevice(), false);
        NDArray ignored = target.eq(ignoreIds);
        NDArray mask = ignored.logicalNot().toType(DataType.FLOAT32, false);
        NDArray safe = target.mul(ignored.logicalNot().toType(DataType.INT64, false)); // -100 -> 0 for the gather
        NDArray picked = logProbs.gather(safe.expandDims(-1), -1).squeeze(-1);
        return new PerToken(picked.neg().mul(mask), mask);
    }

    /** Mean NLL over the scored tokens: sum(nll) / count (the training loss). */
    public static NDArray mean(NDArray logits, NDArray labels) {
        PerToken p = perToken(logits, labels);
        NDArray count = p.mask().sum();
        return p.nll().sum().div(count.maximum(Scalars.of(count, 1)));
    }
}
