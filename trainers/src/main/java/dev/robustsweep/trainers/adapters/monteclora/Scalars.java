package dev.robustsweep.trainers.adapters.monteclora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A scalar operand in the array's own precision. The engine turns a Java Double into a float64 0-d
 * tensor, which promotes a float32 0-d result (a loss) to float64; a float64 array keeps its full
 * precision constants.
 */
final class Scalars {
    private Scalars() {}

    static Number like(NDArray x, double value) {
        return x.getDataType() == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }
}
