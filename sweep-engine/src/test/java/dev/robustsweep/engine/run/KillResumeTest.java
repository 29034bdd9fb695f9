package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine runs as its own process with real trials (tiny BERT, 32 training examples); it and
 * its workers are SIGKILLed at a random moment, then resumed, five times; the last resume finishes.
 * In the end every trial has exactly one whole result, and a trial that had a result when a kill
 * happened was never started again (its {@code @trial-start} count and result bytes never change).
 */
class KillResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void sigkillAtRandomMomentsThenResumeNeverLosesOrRepeatsFinishedWork() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 64, 32);
        Path grid = Fixtures.grid(tmp, "killme", model, data, """
                methods: [lora, full_ft]
                grid:
                  learning_rate: [1e-3, 5e-4, 1e-4]
                  seed: [1, 2]
                settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 32, max_eval_samples: 32}
                execution: {workers: 2, threads_per_worker: 1, max_retries: 5}
                """);
        killAndResume(tmp, grid, "killme", 12, 1500, 5000);
    }

    /**
     * The decoder variant: tiny-llama on a commonsense mix slice (LLM-Adapters prompts, causal-LM
     * training, evaluation by generation on two tasks), killed and resumed the same way.
     */
    @Test
    void decoderSweepSurvivesTheSameKills() throws Exception {
        Path grid = tmp.resolve("killdecoder.yaml");
        Files.writeString(grid, """
                name: killdecoder
                model: tiny-llama
                data_dir: %s
                tasks:
                  - {name: commonsense, train_mix: {cs-boolq: 4, cs-arc-e: 4}, eval_tasks: [cs-boolq, cs-arc-e]}
                methods: [lora, full_ft]
                grid:
                  learning_rate: [1e-3, 1e-4]
                  seed: [1, 2]
                settings:
                  epochs: 1
                  max_seq_length: 512
                  batch_size: 4
                  eval_batch_size: 2
                  lora: {target_modules: [q_proj, k_proj, v_proj, up_proj, down_proj]}
                  decoder: {micro_batch_size: 2, max_new_tokens: 4}
                limits: {max_eval_samples: 2}
                execution: {workers: 2, threads_per_worker: 1, max_retries: 5}
                """.formatted(Path.of("..", "data").toAbsolutePath().normalize()));
        killAndResume(tmp, grid, "killdecoder", 8, 3000, 8000);
    }

    /** Five SIGKILLs of the engine and its workers at random moments, resumes, then a final resume that finishes. */
    static void killAndResume(Path tmp, Path grid, String name, int trials, int minDelay, int spread) throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = runs.resolve(name);
        Path output = tmp.resolve("engine.out");
        Random random = new Random(20261130L ^ System.nanoTime());
        Map<String, byte[]> doneResults = new HashMap<>();
        Map<String, Long> doneStarts = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            Process engine = round == 0 ? EngineProcess.start(output, Map.of(), "run", grid.toString(), "--runs-dir", runs.toString())
                    : EngineProcess.start(output, Map.of(), "resume", run.toString());
            long delay = minDelay + random.nextInt(spread);
            boolean exited = engine.waitFor(delay, TimeUnit.MILLISECONDS);
            List<ProcessHandle> workers = engine.descendants().toList();
            engine.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
            engine.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle w : workers) w.onExit().get(30, TimeUnit.SECONDS);
            Files.writeString(output, "\n=== round " + round + ": SIGKILL after " + delay + " ms" + (exited ? " (engine had already exited)" : "") + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            checkFinishedWorkUntouched(run, doneResults, doneStarts, output);
        }
        Process last = EngineProcess.start(output, Map.of(), "resume", run.toString());
        assertTrue(last.waitFor(300, TimeUnit.SECONDS), "final resume did not finish: " + Files.readString(output));
        assertEquals(0, last.exitValue(), Files.readString(output));
        checkFinishedWorkUntouched(run, doneResults, doneStarts, output);

        List<String> trialLines = Files.readAllLines(run.resolve("trials.jsonl")).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(trials, trialLines.size());
        for (String line : trialLines) {
            String id = JSON.readTree(line).get("trial_id").asText();
            Path dir = run.resolve("trials").resolve(id);
            JsonNode result = JSON.readTree(dir.resolve("result.json").toFile());
            assertEquals(id, result.get("trial_id").asText());
            // a diverged result is final too (the tiny random model can blow up at a high rate)
            assertTrue(List.of("completed", "diverged").contains(result.get("status").asText()), id + ": " + result.get("status"));
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(1, names.stream().filter(n -> n.contains("result")).count(), "exactly one result file, no leftovers: " + names);
            }
            // every @trial-start belongs to an attempt without a result: at most one start after the attempt that finished
            String log = Files.readString(dir.resolve("worker.log"));
            long starts = log.lines().filter(l -> l.startsWith("@trial-start ")).count();
            long attempts = log.lines().filter(l -> l.startsWith("@attempt ")).count();
            assertTrue(starts >= 1 && starts <= attempts, id + ": " + starts + " starts in " + attempts + " attempts");
        }
        // the sweep ends with the reports module's summary and files
        assertTrue(Files.readString(output).contains("RobustSweep report: " + trials + " trials"), Files.readString(output));
        assertTrue(Files.isRegularFile(run.resolve("report").resolve("report.html")));
    }

    /** Trials done before a kill keep their exact result and are never started again. */
    private static void checkFinishedWorkUntouched(Path run, Map<String, byte[]> doneResults, Map<String, Long> doneStarts, Path output) throws Exception {
        Path trials = run.resolve("trials");
        if (!Files.isDirectory(trials)) return;
        for (Map.Entry<String, byte[]> e : doneResults.entrySet()) {
            Path dir = trials.resolve(e.getKey());
            assertTrue(java.util.Arrays.equals(e.getValue(), Files.readAllBytes(dir.resolve("result.json"))), "result of " + e.getKey() + " changed");
            assertEquals(doneStarts.get(e.getKey()), startCount(dir), e.getKey() + " was started again after it finished\n" + Files.readString(output));
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            for (Path dir : dirs.toList()) {
                Path result = dir.resolve("result.json");
                if (!Files.exists(result) || doneResults.containsKey(dir.getFileName().toString())) continue;
                byte[] bytes = Files.readAllBytes(result);
                JsonNode parsed = JSON.readTree(bytes);
                assertTrue(parsed.has("status"), "whole result: " + dir);
                if (List.of("completed", "diverged").contains(parsed.get("status").asText())) {
                    doneResults.put(dir.getFileName().toString(), bytes);
                    doneStarts.put(dir.getFileName().toString(), startCount(dir));
                }
            }
        }
    }

    private static long startCount(Path dir) throws Exception {
        Path log = dir.resolve("worker.log");
        if (!Files.exists(log)) return 0;
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.startsWith("@trial-start ")).count();
        }
    }
}
