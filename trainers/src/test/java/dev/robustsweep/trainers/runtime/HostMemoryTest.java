package dev.robustsweep.trainers.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class HostMemoryTest {
    @Test
    void writesThroughTheViewReachTheTensor() {
        try (NDManager manager = EngineSetup.start(0).newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            FloatBuffer view = HostMemory.of(x);
            assertNotNull(view);
            view.put(4, 50f);
            assertArrayEquals(new float[] {1, 2, 3, 4, 50, 6}, x.toFloatArray());
        }
    }

    /** A transposed view's "direct" buffer would be a contiguous copy: writes would be lost, so no view. */
    @Test
    void refusesWhatItCannotShare() {
        try (NDManager manager = EngineSetup.start(0).newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            assertNull(HostMemory.of(x.transpose()));
            assertNull(HostMemory.of(x.toType(DataType.FLOAT64, true)));
        }
    }
}
