package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;

/** Whether the engine-level Slurm tests can run: null when a controller answers, else why they skip (a failure under CI=true). */
final class SlurmTestCluster {
    private SlurmTestCluster() {}

    static String skipReason() {
        Optional<String> why = new SlurmClient(Duration.ofSeconds(30)).whyUnavailable();
        if (why.isEmpty()) return null;
        String msg = "no Slurm controller reachable (" + why.get() + "); as root, start one with .ci/slurm-up.sh";
        if ("true".equals(System.getenv("CI"))) fail("CI=true, but " + msg);
        String reason = "Slurm integration tests skipped: " + msg;
        System.err.println(reason);
        return reason;
    }
}
