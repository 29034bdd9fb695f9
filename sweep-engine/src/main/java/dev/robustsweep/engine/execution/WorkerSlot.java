package dev.robustsweep.engine.execution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A place a worker process runs: the CPU, or one GPU (by id) that only this slot's worker sees
 * through CUDA_VISIBLE_DEVICES; slots share a GPU only with trials_per_device > 1.
 *
 * @param index   slot number, 0-based
 * @param gpu     GPU id, or null for a CPU slot
 * @param threads intra-op threads for the worker (0 = engine default)
 */
public record WorkerSlot(int index, String gpu, int threads) {

    /** "cpu0", "cpu1"; "gpu1/3" (slot 3, on GPU 1). */
    public String label() {
        return gpu == null ? "cpu" + index : "gpu" + gpu + "/" + index;
    }

    /** Environment the worker gets: its device, and thread counts for the native math libraries. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CUDA_VISIBLE_DEVICES", gpu == null ? "" : gpu);
        if (threads > 0) {
            env.put("OMP_NUM_THREADS", Integer.toString(threads));
            env.put("MKL_NUM_THREADS", Integer.toString(threads));
        }
        return env;
    }

    /** The slots an execution setting asks for. */
    public static List<WorkerSlot> slots(ExecutionSettings exec) {
        List<WorkerSlot> out = new ArrayList<>();
        int threads = exec.effectiveThreads();
        if (!exec.gpu()) {
            for (int i = 0; i < exec.workers(); i++) out.add(new WorkerSlot(i, null, threads));
        } else {
            int i = 0;
            for (String id : exec.devices()) for (int k = 0; k < exec.trialsPerDevice(); k++) out.add(new WorkerSlot(i++, id, threads));
        }
        return out;
    }
}
