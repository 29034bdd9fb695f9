package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scalar saved by autograd must survive garbage collection between forward and backward
 * (with a Java Number operand DJL frees it, and this test reads back garbage gradients).
 */
class ScalarsTest {
    @Test
    void savedScalarSurvivesGarbageCollectionBeforeBackward() throws Exception {
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            for (int round = 0; round < 20; round++) {
                try (NDScope ignored = new NDScope(); GradientCollector gc = engine.newGradientCollector()) {
                    // d/dx sum(x * c / d) = c / d
                    NDArray y = x.mul(Scalars.of(x, 3.0)).div(Scalars.of(x, 2.0)).sum();
                    churnDirectMemory();
                    gc.backward(y);
                    assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, x.getGradient().toFloatArray(), "round " + round);
                    gc.zeroGradients();
                }
            }
        }
    }

    /** Lets the collector free unreachable direct buffers and reuses their memory with NaN bytes. */
    private static void churnDirectMemory() throws InterruptedException {
        System.gc();
        Thread.sleep(20);
        List<ByteBuffer> fill = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            while (b.remaining() >= 4) b.putFloat(Float.NaN);
            fill.add(b);
        }
        fill.clear();
    }
}
