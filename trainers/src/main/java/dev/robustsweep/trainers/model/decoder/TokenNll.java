package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
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

    /** Per-token NLL [batch, seq - 1] (0 where ignored) and its 1/0 mask, for logits [b, seq, V] and labels [b, seq]. */
    public record PerToken(NDArray nll, NDArray mask) {
        /** Number of scored tokens. */
        public long count() {
            return (long) mask.sum().getFloat();
        }
    }

    public static PerToken perToken(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.get(new NDIndex(":, :-1, :")).logSoftmax(-1);
        NDArray target = labels.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
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
