package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool makes no network connection at run time: engine and worker run a real trial inside a
 * network namespace with no interfaces but a downed loopback ({@code unshare -n}, needs root or
 * user namespaces); any download or telemetry call would fail the trial.
 */
class NoNetworkTest {
    @TempDir Path tmp;

    @Test
    void aSweepRunsInsideANetworkNamespaceWithoutInterfaces() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-n", "cat", "/proc/net/dev").redirectErrorStream(true).start();
        String devices = new String(probe.getInputStream().readAllBytes());
        boolean ok = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        Assumptions.assumeTrue(ok, "skipped: 'unshare -n' is not permitted here (needs root or user namespaces): " + devices.strip());
        // the namespace has only the loopback device, and it is down
        List<String> interfaces = devices.lines().skip(2).map(l -> l.strip().split(":")[0]).toList();
        assertEquals(List.of("lo"), interfaces, devices);

        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 32, 16);
        Path grid = Fixtures.grid(tmp, "offline", model, data, """
                methods: [lora]
                settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 16, max_eval_samples: 16}
                execution: {workers: 1, threads_per_worker: 1, max_retries: 0}
                """);
        Path out = tmp.resolve("engine.out");
        Process engine = EngineProcess.builder(out, Map.of(), List.of("unshare", "-n"), List.of(), "run", grid.toString(),
                "--runs-dir", tmp.resolve("runs").toString()).start();
        assertTrue(engine.waitFor(300, TimeUnit.SECONDS), Files.readString(out));
        assertEquals(0, engine.exitValue(), Files.readString(out));
        Path trials = tmp.resolve("runs/offline/trials");
        try (var s = Files.list(trials)) {
            Path dir = s.findFirst().orElseThrow();
            assertEquals("completed", new ObjectMapper().readTree(dir.resolve("result.json").toFile()).get("status").asText());
        }
    }
}
