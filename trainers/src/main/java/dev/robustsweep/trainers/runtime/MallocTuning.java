package dev.robustsweep.trainers.runtime;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import java.util.Map;

/**
 * glibc malloc settings for a training process, so that the memory one step's tensors free is reused by
 * the next step instead of going back to the kernel and being faulted in again, page by page.
 *
 * <p>Why: libtorch allocates every CPU tensor with malloc. The JVM's threads are not the process's first
 * thread, so glibc serves them from a secondary arena built of 64 MiB heaps. Under glibc's defaults, a heap
 * that a step leaves empty is unmapped, and the next step's tensors land on fresh pages: measured on the
 * training benchmark (minilm-l6, batch 32 x 128), 50,000-100,000 page faults and about 0.1 s per LoRA step
 * whenever another model had run in the same process (benchmarks/run.sh training), and none with these
 * settings. They are what {@code GLIBC_TUNABLES=glibc.malloc.mmap_threshold=...} would set at start-up:
 * <ul>
 *   <li>M_MMAP_THRESHOLD 32 MiB (glibc's maximum): tensors up to 32 MiB (an attention-probability tensor of
 *       batch 32 x 12 heads x 128^2 is 24 MiB) come from the heaps rather than from mmap/munmap each;</li>
 *   <li>M_TRIM_THRESHOLD 2 GiB - 1: free memory at the top of a heap is kept;</li>
 *   <li>M_TOP_PAD 64 MiB (one heap): an empty heap is kept rather than unmapped.</li>
 * </ul>
 * The price is that the process keeps its peak heap until it exits, as PyTorch's caching allocator keeps
 * GPU memory. A user who sets malloc tunables (GLIBC_TUNABLES with glibc.malloc.*, or MALLOC_*_ variables)
 * keeps theirs; {@code -Drobustsweep.malloc=default} leaves glibc as it is; on other C libraries and
 * systems nothing changes.
 */
public final class MallocTuning {
    /** mallopt parameter numbers (glibc malloc.h). */
    static final int M_TRIM_THRESHOLD = -1;
    static final int M_TOP_PAD = -2;
    static final int M_MMAP_THRESHOLD = -3;

    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = Integer.MAX_VALUE;
    static final int TOP_PAD = 64 << 20;

    private static String outcome;

    private MallocTuning() {}

    /** Applies the settings once per process; returns what happened, for logs ("tuned", or why not). */
    public static synchronized String apply() {
        if (outcome == null) outcome = decide(System.getenv(), System.getProperty("robustsweep.malloc", ""));
        return outcome;
    }

    static String decide(Map<String, String> env, String property) {
        if (property.equals("default")) return "left at glibc defaults (-Drobustsweep.malloc=default)";
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) return "not Linux: unchanged";
        String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
        if (tunables.contains("glibc.malloc.")) return "GLIBC_TUNABLES sets malloc: unchanged";
        for (String key : env.keySet()) {
            if (key.startsWith("MALLOC_") && key.endsWith("_")) return key + " is set: unchanged";
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance("c");
            libc.getFunction("gnu_get_libc_version"); // throws unless the C library is glibc
            boolean ok = set(libc.getFunction("mallopt"), MMAP_THRESHOLD, TRIM_THRESHOLD, TOP_PAD);
            return ok ? "tuned" : "mallopt refused: unchanged";
        } catch (UnsatisfiedLinkError e) {
            return "not glibc: unchanged";
        } catch (LinkageError | RuntimeException e) {
            // JNA itself could not load (e.g. no writable temp directory for its stub): a tuning never stops a run
            return "JNA unavailable (" + e + "): unchanged";
        }
    }

    /** mallopt(M_MMAP_THRESHOLD, mmap), mallopt(M_TRIM_THRESHOLD, trim), mallopt(M_TOP_PAD, pad); true if all took. */
    static boolean set(Function mallopt, int mmap, int trim, int pad) {
        // mallopt returns 1 on success, 0 on error
        int a = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, mmap});
        int b = mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, trim});
        int c = mallopt.invokeInt(new Object[] {M_TOP_PAD, pad});
        return a == 1 && b == 1 && c == 1;
    }
}
