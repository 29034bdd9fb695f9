package dev.robustsweep.engine.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The NVIDIA GPUs of this machine, so that {@code --devices 7} is refused before anything runs
 * rather than failing every trial: the driver's /proc/driver/nvidia/gpus entries, else the lines
 * of {@code nvidia-smi -L}; neither means no GPU.
 */
public final class LocalGpus {
    private LocalGpus() {}

    /** How many GPUs this machine has (0 without an NVIDIA driver). */
    public static int count() {
        Path proc = Path.of("/proc/driver/nvidia/gpus");
        if (Files.isDirectory(proc)) {
            try (Stream<Path> s = Files.list(proc)) {
                return (int) s.count();
            } catch (IOException e) {
                // fall through to nvidia-smi
            }
        }
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return 0;
            return (int) new String(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("GPU ")).count();
        } catch (IOException e) {
            return 0; // no nvidia-smi: no NVIDIA driver
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Checks the GPU ids a local sweep would pin its workers to; throws IllegalArgumentException naming {@code source}. */
    public static void check(List<String> devices, String source) {
        if (devices.isEmpty()) return;
        int n = count();
        for (String d : devices) {
            if (Integer.parseInt(d) >= n) {
                throw new IllegalArgumentException(source + ": GPU " + d + " does not exist on this machine ("
                        + (n == 0 ? "no NVIDIA GPU found: no /proc/driver/nvidia/gpus, and nvidia-smi -L lists none" : n + " GPU(s): ids 0 to " + (n - 1))
                        + "); use cpu, or ids that nvidia-smi -L lists");
            }
        }
    }
}
