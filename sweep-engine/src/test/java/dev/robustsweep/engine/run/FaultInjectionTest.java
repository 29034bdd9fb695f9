package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.store.AttemptLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real workers with the trainer's test-only fault switch (ROBUSTSWEEP_ALLOW_FAULTS=1): a native-style
 * crash (halt 134) and a hang past the timeout are retried, then recorded as failed with their reasons;
 * a NaN loss is recorded as diverged after one attempt; the other trials complete; status lists it all.
 */
class FaultInjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void crashAndHangAreRetriedThenFailedNanDivergesTheRestCompletes() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 64, 32);
        Path grid = Fixtures.grid(tmp, "faults", model, data, """
                methods:
                  lora: {grid: {seed: [1, 2, 3]}}
                  lora-crash: {method: lora, fault_injection: {kind: crash, at_step: 1}}
                  lora-hang: {method: lora, fault_injection: {kind: hang, at_step: 1}}
                  lora-nan: {method: lora, fault_injection: {kind: nan, at_step: 2}}
                settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 32, max_eval_samples: 32}
                execution: {workers: 2, threads_per_worker: 1, max_retries: 1, timeout: 30s}
                """);
        Path runs = tmp.resolve("runs");
        Path out = tmp.resolve("engine.out");
        Map<String, String> env = Map.of("ROBUSTSWEEP_ALLOW_FAULTS", "1");
        Process engine = EngineProcess.start(out, env, "run", grid.toString(), "--runs-dir", runs.toString());
        assertTrue(engine.waitFor(400, TimeUnit.SECONDS), Files.readString(out));
        String printed = Files.readString(out);
        assertEquals(1, engine.exitValue(), "exit 1: the sweep ended with failed trials\n" + printed);

        Path run = runs.resolve("faults");
        Map<String, String> byVariant = new HashMap<>();
        int completed = 0;
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode t = JSON.readTree(line);
            String id = t.get("trial_id").asText();
            String variant = t.get("method_name").asText();
            Path dir = run.resolve("trials").resolve(id);
            List<JsonNode> events = AttemptLog.read(dir);
            long starts = events.stream().filter(e -> e.get("event").asText().equals("start")).count();
            JsonNode lastEnd = events.stream().filter(e -> e.get("event").asText().equals("end")).reduce((a, b) -> b).orElseThrow();
            switch (variant) {
                case "lora-crash" -> {
                    assertEquals(2, starts, printed);
                    assertNull(result(dir));
                    assertEquals("failed", lastEnd.get("outcome").asText());
                    assertTrue(lastEnd.get("reason").asText().startsWith("crashed (SIGABRT, exit 134)"), lastEnd.toString());
                }
                case "lora-hang" -> {
                    assertEquals(2, starts, printed);
                    assertNull(result(dir));
                    assertEquals("timed out after 30s", lastEnd.get("reason").asText());
                    assertTrue(lastEnd.get("seconds").asDouble() >= 30 && lastEnd.get("seconds").asDouble() < 40, lastEnd.toString());
                }
                case "lora-nan" -> {
                    assertEquals(1, starts, "diverged is final, never retried");
                    assertEquals("diverged", result(dir).get("status").asText());
                }
                default -> {
                    assertEquals(1, starts);
                    assertEquals("completed", result(dir).get("status").asText());
                    completed++;
                }
            }
            byVariant.put(variant, id);
        }
        assertEquals(3, completed);
        assertTrue(printed.contains("2 failed trials (rerun with: robustsweep resume --retry-failed"), printed);
        assertTrue(printed.contains("  " + byVariant.get("lora-hang") + ": timed out after 30s (2 attempts)"), printed);

        Path statusOut = tmp.resolve("status.out");
        Process status = EngineProcess.start(statusOut, Map.of(), "status", run.toString());
        assertTrue(status.waitFor(60, TimeUnit.SECONDS));
        String s = Files.readString(statusOut);
        assertTrue(s.contains("completed 3  diverged 1  failed 2  running 0  pending 0"), s);
        assertTrue(s.contains(byVariant.get("lora-crash") + ": crashed (SIGABRT, exit 134)"), s);
        assertNotNull(byVariant.get("lora-nan"));
    }

    private static JsonNode result(Path dir) throws Exception {
        Path f = dir.resolve("result.json");
        return Files.exists(f) ? JSON.readTree(f.toFile()) : null;
    }
}
