package dev.robustsweep.trainers.oracle;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch oracle of the fidelity tests: Debian's python3-torch (torch 1.13) run by
 * /usr/bin/python3 (installed by .ci/torch-setup.sh). Reference scripts live in the test resources
 * under {@code oracle/} and are written in plain torch after the Hugging Face / PEFT source.
 *
 * <p>Without torch a test using it is skipped, except when ROBUSTSWEEP_REQUIRE_TORCH=1 (CI),
 * where it fails: the oracle must run in CI.
 */
public final class PythonTorch {
    /** Debian's interpreter first (python3-torch installs there), then whatever python3 is on PATH. */
    private static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");

    private static String interpreter;
    private static boolean probed;

    private PythonTorch() {}

    /** The interpreter that imports torch and numpy; skips (or fails under CI) when there is none. */
    public static synchronized String require() {
        if (!probed) {
            probed = true;
            for (String candidate : CANDIDATES) {
                if (imports(candidate)) {
                    interpreter = candidate;
                    break;
                }
            }
        }
        if (interpreter == null) {
            String why = "no python3 with torch and numpy (install Debian's python3-torch: bash .ci/torch-setup.sh)";
            if ("1".equals(System.getenv("ROBUSTSWEEP_REQUIRE_TORCH"))) {
                fail(why + "; ROBUSTSWEEP_REQUIRE_TORCH=1 requires the oracle to run");
            }
            assumeTrue(false, why);
        }
        return interpreter;
    }

    /**
     * Runs a reference script with arguments and returns its standard output; a non-zero exit
     * fails the test with the script's standard error.
     */
    public static String run(Path script, List<String> args, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require());
        command.add(script.toString());
        command.addAll(args);
        Path stderr = Files.createTempFile(workDir, "oracle", ".stderr");
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectError(stderr.toFile())
                .start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("oracle " + script.getFileName() + " ran past " + timeoutSeconds + " s");
        }
        if (process.exitValue() != 0) {
            fail("oracle " + script.getFileName() + " exited " + process.exitValue() + ":\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean imports(String candidate) {
        try {
            Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
