package dev.robustsweep.trainers.weights;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** A float32 tensor held outside the engine: row-major data and its shape. */
public record Tensor(long[] shape, FloatBuffer data) {
    public long size() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
