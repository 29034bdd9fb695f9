package dev.robustsweep.trainers.runtime;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Parallel loops for work done in Java on tensor memory (dropout masks, the fused optimizer), on as
 * many threads as libtorch's intra-op pool (threads_per_worker), so that a worker never uses more cores
 * than it was given. Results never depend on the thread count: work is cut into fixed chunks and
 * reductions add the chunks' partial sums in chunk order.
 */
public final class HostParallel {
    private static ForkJoinPool pool;

    private HostParallel() {}

    /** Runs body(0) .. body(n - 1), in parallel when libtorch has more than one thread. */
    public static void forEach(int n, IntConsumer body) {
        ForkJoinPool p = pool();
        if (p == null || n < 2) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        p.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
    }

    /** sum over i of part(i), the parts computed in parallel and added in index order (deterministic). */
    public static double sum(int n, IntToDoubleFunction part) {
        double[] parts = new double[n];
        forEach(n, i -> parts[i] = part.applyAsDouble(i));
        double total = 0;
        for (double x : parts) total += x;
        return total;
    }

    /** A pool of libtorch's intra-op thread count; null for one thread. */
    private static synchronized ForkJoinPool pool() {
        int threads = Math.max(1, JniUtils.getNumThreads());
        if (threads == 1) return null;
        if (pool == null || pool.getParallelism() != threads) {
            if (pool != null) pool.shutdown();
            pool = new ForkJoinPool(threads, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false);
        }
        return pool;
    }
}
