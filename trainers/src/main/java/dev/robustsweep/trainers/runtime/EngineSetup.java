package dev.robustsweep.trainers.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that picks the engine and device. DJL runs offline (ai.djl.offline=true: no model
 * zoo, no telemetry) on the libtorch bundled in pytorch-native-cpu; a GPU worker provides a CUDA
 * build through PYTORCH_LIBRARY_PATH / PYTORCH_VERSION / PYTORCH_FLAVOR and sees only the GPU(s)
 * that CUDA_VISIBLE_DEVICES exposes, of which it uses the first.
 */
public final class EngineSetup {
    private EngineSetup() {}

    /**
     * Starts the PyTorch engine offline; sets intra-op threads when > 0. Also tunes glibc malloc so that
     * tensor memory is reused from step to step ({@link MallocTuning}).
     */
    public static Engine start(int threads) {
        MallocTuning.apply();
        System.setProperty("ai.djl.offline", "true");
        if (System.getenv("PYTORCH_VERSION") == null && System.getProperty("PYTORCH_VERSION") == null) {
            System.setProperty("PYTORCH_VERSION", "2.7.1");
        }
        if (System.getenv("PYTORCH_FLAVOR") == null && System.getProperty("PYTORCH_FLAVOR") == null) {
            System.setProperty("PYTORCH_FLAVOR", "cpu");
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (threads > 0) JniUtils.setNumThreads(threads);
        return engine;
    }

    /** "cpu" or "gpu" -> the device; a GPU request without a visible GPU is an error. */
    public static Device device(Engine engine, String kind) {
        if ("gpu".equals(kind)) {
            if (engine.getGpuCount() == 0) {
                throw new IllegalStateException("device: gpu requested but the engine sees no GPU (CPU-only libtorch, or CUDA_VISIBLE_DEVICES empty)");
            }
            return Device.gpu(0);
        }
        return Device.cpu();
    }

    /** Seeds the engine's generator (dropout, sampling). */
    public static void seed(Engine engine, long seed) {
        engine.setRandomSeed((int) (seed ^ (seed >>> 32)));
    }
}
