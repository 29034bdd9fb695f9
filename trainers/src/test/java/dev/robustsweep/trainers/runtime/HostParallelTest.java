package dev.robustsweep.trainers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class HostParallelTest {
    /** Every index runs once, and the chunked sum is the same bit for bit on one thread and on two. */
    @Test
    void coversEveryIndexAndSumsInChunkOrder() {
        EngineSetup.start(0);
        int before = JniUtils.getNumThreads();
        try {
            double[] sums = new double[2];
            for (int threads = 1; threads <= 2; threads++) {
                JniUtils.setNumThreads(threads);
                AtomicIntegerArray seen = new AtomicIntegerArray(1000);
                HostParallel.forEach(1000, seen::incrementAndGet);
                for (int i = 0; i < 1000; i++) assertEquals(1, seen.get(i), "index " + i + " with " + threads + " threads");
                sums[threads - 1] = HostParallel.sum(1000, i -> Math.sin(i) * 1e-3 + (i % 7 == 0 ? 1e6 : 0));
            }
            assertEquals(sums[0], sums[1], 0.0);
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
