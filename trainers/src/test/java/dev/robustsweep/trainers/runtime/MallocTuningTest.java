package dev.robustsweep.trainers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure MallocTuning exists for, reproduced with torch tensors: a JVM thread allocates eight 24 MiB
 * tensors (a step's activations), frees them, and does it again. Under glibc's default trimming every
 * round faults in fresh pages; tuned, the second and third rounds reuse the first round's memory.
 */
class MallocTuningTest {
    private static final int TENSORS = 8;
    private static final long FLOATS = 6L << 20; // 24 MiB each
    private static final long PAGES_PER_ROUND = TENSORS * FLOATS * 4 / 4096;

    @Test
    void stepMemoryIsReusedInsteadOfFaultedInAgain() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "needs Linux /proc");
        NDManager manager = EngineSetup.start(0).newBaseManager();
        assumeTrue(MallocTuning.apply().equals("tuned"), "glibc malloc not tuned here: " + MallocTuning.apply());
        Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
        try (manager) {
            // control: glibc's static defaults (128 KiB thresholds, no top pad): tensors are mmapped and unmapped
            assertTrue(MallocTuning.set(mallopt, 128 << 10, 128 << 10, 0));
            long[] untuned = rounds(manager);
            assertTrue(MallocTuning.set(mallopt, MallocTuning.MMAP_THRESHOLD, MallocTuning.TRIM_THRESHOLD, MallocTuning.TOP_PAD));
            long[] tuned = rounds(manager);
            String seen = "page faults per round (of " + PAGES_PER_ROUND + " pages): untuned " + List.of(untuned[0], untuned[1], untuned[2])
                    + ", tuned " + List.of(tuned[0], tuned[1], tuned[2]);
            // (the kernel reports about one fault per two pages here: a round's fresh memory is ~PAGES_PER_ROUND / 2)
            for (int r = 1; r < 3; r++) assertTrue(untuned[r] > PAGES_PER_ROUND / 4, seen);
            assertTrue(tuned[1] < untuned[1] / 4, seen);
            assertTrue(tuned[2] < PAGES_PER_ROUND / 50, seen);
        } finally {
            MallocTuning.set(mallopt, MallocTuning.MMAP_THRESHOLD, MallocTuning.TRIM_THRESHOLD, MallocTuning.TOP_PAD);
        }
    }

    @Test
    void aUserChoiceIsKept() {
        assertEquals("left at glibc defaults (-Drobustsweep.malloc=default)",
                MallocTuning.decide(java.util.Map.of(), "default"));
        assertTrue(MallocTuning.decide(java.util.Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"), "").contains("unchanged"));
        assertTrue(MallocTuning.decide(java.util.Map.of("MALLOC_ARENA_MAX_", "2"), "").contains("MALLOC_ARENA_MAX_"));
    }

    /** Faults of this thread in each of three allocate-all, free-all rounds. */
    private static long[] rounds(NDManager manager) throws IOException {
        long[] faults = new long[3];
        for (int r = 0; r < 3; r++) {
            long before = minorFaults();
            List<NDArray> step = new ArrayList<>();
            for (int i = 0; i < TENSORS; i++) step.add(manager.ones(new Shape(FLOATS))); // ones: every page written
            step.forEach(NDArray::close);
            faults[r] = minorFaults() - before;
        }
        return faults;
    }

    /** minflt of the calling thread (field 10 of /proc/thread-self/stat). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
