package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar operands as engine-owned 0-d tensors, in the other operand's type and device. Use these,
 * never a Java Number, for mul, div and pow inside a forward pass. Why: DJL turns a Number operand
 * into a tensor over a direct ByteBuffer, runs the op and closes that tensor at once, dropping the
 * buffer; autograd has saved the tensor for the backward pass (d(x c)/dx = c), and once the garbage
 * collector frees the buffer the backward pass reads freed memory (NaN gradients that depend on GC
 * timing). A clone lives in libtorch's own memory, which autograd's reference keeps alive. Float64
 * operands keep full double precision; a Java Double would also promote a 0-d float32 loss to float64.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a 0-d tensor of {@code like}'s type, on its device. */
    public static NDArray of(NDArray like, double value) {
        NDManager manager = like.getManager();
        NDArray blob = like.getDataType() == DataType.FLOAT64 ? manager.create(value) : manager.create((float) value);
        if (!blob.getDevice().equals(like.getDevice())) blob = blob.toDevice(like.getDevice(), false);
        NDArray owned = blob.duplicate();
        blob.close();
        return owned;
    }
}
