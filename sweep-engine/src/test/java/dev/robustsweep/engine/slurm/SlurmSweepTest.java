package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.store.AttemptLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on the Slurm backend against a real Slurm (CI: .ci/slurm-up.sh), with real trials on the
 * tiny model. Every engine is a separate process, as a user runs it. The time-limit sweep starts first
 * so that its minute (Slurm's minimum limit) overlaps the other tests; it is checked last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmSweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SlurmClient client = new SlurmClient(Duration.ofSeconds(30));
    /** Twelve short real trials; results must not depend on where they ran. */
    private static final String TWELVE = """
            methods: [lora, full_ft]
            grid:
              learning_rate: [1e-3, 5e-4, 1e-4]
              seed: [1, 2]
            settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
            limits: {max_train_samples: 32, max_eval_samples: 32}
            execution: {backend: slurm, workers: 2, threads_per_worker: 1, max_retries: 2, slurm: {max_concurrent: 2}}
            """;
    @TempDir static Path tmp;
    private static String skipReason;
    private static Path model;
    private static Path data;
    private static Process timeLimitEngine;
    private static Path timeLimitOut;
    private static long timeLimitStart;
    private static final List<Path> runFolders = new ArrayList<>();

    @BeforeAll
    static void startTimeLimitSweep() throws Exception {
        skipReason = SlurmTestCluster.skipReason();
        if (skipReason != null) return;
        model = Fixtures.tinyModel(tmp.resolve("tiny"));
        data = Fixtures.mrpcLikeData(tmp.resolve("data"), 64, 32);
        Path grid = Fixtures.grid(tmp, "slurm-limit", model, data, """
                methods:
                  lora-hang: {method: lora, fault_injection: {kind: hang, at_step: 1}}
                settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 32, max_eval_samples: 32}
                execution: {backend: slurm, threads_per_worker: 1, max_retries: 0, slurm: {time_limit: "1"}}
                """);
        timeLimitOut = tmp.resolve("limit.out");
        runFolders.add(tmp.resolve("runs-limit/slurm-limit"));
        timeLimitStart = System.nanoTime();
        timeLimitEngine = EngineProcess.start(timeLimitOut, Map.of("ROBUSTSWEEP_ALLOW_FAULTS", "1"), "run", grid.toString(), "--runs-dir", tmp.resolve("runs-limit").toString());
    }

    @BeforeEach
    void skipWithoutSlurm() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void cancelLeftovers() throws Exception {
        if (timeLimitEngine != null) timeLimitEngine.destroyForcibly();
        for (Path run : runFolders) if (Files.exists(run)) SlurmBackend.cancelAll(client, run);
    }

    @Test
    @Order(1)
    void twelveTrialsOnSlurmGiveTheSameResultsAsLocally() throws Exception {
        Path grid = Fixtures.grid(tmp, "twelve", model, data, TWELVE);
        Path slurmRun = tmp.resolve("runs-slurm/twelve");
        Path localRun = tmp.resolve("runs-local/twelve");
        runFolders.add(slurmRun);
        Path out = tmp.resolve("twelve.out");
        long t0 = System.nanoTime();
        Process slurm = EngineProcess.start(out, Map.of(), "run", grid.toString(), "--runs-dir", slurmRun.getParent().toString());
        assertTrue(slurm.waitFor(300, TimeUnit.SECONDS), Files.readString(out));
        double slurmS = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, slurm.exitValue(), Files.readString(out));
        t0 = System.nanoTime();
        Process local = EngineProcess.start(out, Map.of(), "run", grid.toString(), "--backend", "local", "--runs-dir", localRun.getParent().toString());
        assertTrue(local.waitFor(300, TimeUnit.SECONDS), Files.readString(out));
        double localS = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, local.exitValue(), Files.readString(out));
        System.out.printf("slurm: 12-trial sweep %.1f s on Slurm (2 tasks at once), %.1f s locally (2 workers)%n", slurmS, localS);
        String printed = Files.readString(out);
        assertTrue(printed.contains("(slurm: partition"), printed);
        assertTrue(printed.contains("(local: 2 CPU workers"), printed);

        List<String> ids = trialIds(slurmRun);
        assertEquals(12, ids.size());
        assertEquals(ids, trialIds(localRun));
        for (String id : ids) {
            JsonNode onSlurm = result(slurmRun, id);
            JsonNode onLocal = result(localRun, id);
            assertNotNull(onSlurm, id);
            assertEquals(content(onLocal), content(onSlurm), id + ": results differ between Slurm and local");
            assertTrue(onSlurm.path("epochs").size() > 0 && onSlurm.path("train_loss_curve").size() > 0, id);
            assertEquals(1, starts(slurmRun, id), id);
        }
        // one array for the whole sweep, capped at 2 running tasks
        SlurmJobsFile jobs = SlurmJobsFile.load(slurmRun);
        assertEquals(1, jobs.arrays().size(), jobs.arrays().toString());
        assertEquals(12, jobs.arrays().get(0).tasks().size());
        assertTrue(Files.readString(slurmRun.resolve("slurm/array-0001.sh")).contains("#SBATCH --array=0-11%2"));
    }

    @Test
    @Order(2)
    void scancelledTaskFailsWithCancelledIsRetriedAndTheSweepCompletes() throws Exception {
        Path grid = Fixtures.grid(tmp, "scancel", model, data, """
                methods: [lora]
                grid: {seed: [1, 2, 3]}
                settings: {epochs: 3, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 64, max_eval_samples: 32}
                execution: {backend: slurm, threads_per_worker: 1, max_retries: 1, slurm: {max_concurrent: 3}}
                """);
        Path run = tmp.resolve("runs-scancel/scancel");
        runFolders.add(run);
        Path out = tmp.resolve("scancel.out");
        Process engine = EngineProcess.start(out, Map.of(), "run", grid.toString(), "--runs-dir", run.getParent().toString());
        String victim = awaitTrialStart(run, engine, out);
        SlurmJobsFile.TaskRef ref = SlurmJobsFile.load(run).latestTaskFor(victim).orElseThrow();
        assertFalse(Files.exists(run.resolve("trials").resolve(victim).resolve("result.json")), "trial finished before it could be cancelled");
        client.cancelTask(ref.arrayJobId(), ref.taskId());

        assertTrue(engine.waitFor(240, TimeUnit.SECONDS), Files.readString(out));
        assertEquals(0, engine.exitValue(), Files.readString(out));
        List<JsonNode> events = AttemptLog.read(run.resolve("trials").resolve(victim));
        List<JsonNode> ends = events.stream().filter(e -> e.get("event").asText().equals("end")).toList();
        assertEquals(2, ends.size(), events.toString());
        assertEquals("failed", ends.get(0).get("outcome").asText());
        assertTrue(ends.get(0).get("reason").asText().contains("Slurm CANCELLED"), ends.get(0).toString());
        assertEquals("completed", ends.get(1).get("outcome").asText(), ends.get(1).toString());
        assertEquals(2, SlurmJobsFile.load(run).latestTaskFor(victim).orElseThrow().attempt(), "resubmitted as attempt 2");
        for (String id : trialIds(run)) assertEquals("completed", result(run, id).get("status").asText(), id);
    }

    @Test
    @Order(3)
    void engineKilledWhileTasksRunReattachesAndNothingRunsTwice() throws Exception {
        Path grid = Fixtures.grid(tmp, "killed", model, data, TWELVE);
        Path run = tmp.resolve("runs-kill/killed");
        runFolders.add(run);
        Path out = tmp.resolve("kill.out");
        Process engine = EngineProcess.start(out, Map.of(), "run", grid.toString(), "--runs-dir", run.getParent().toString());
        awaitTrialStart(run, engine, out);
        sigkill(engine);
        assertTrue(doneCount(run) < 12, "the sweep ended before the kill");
        // as if the engine had died between sbatch and recording the job id: found again by its job name
        Path record = run.resolve(SlurmJobsFile.FILE_NAME);
        ObjectNode stored = (ObjectNode) JSON.readTree(record.toFile());
        ((ObjectNode) stored.get("arrays").get(0)).putNull("array_job_id");
        Files.writeString(record, stored.toPrettyString());
        assertEquals(1, SlurmJobsFile.load(run).unconfirmed().size());

        Process second = EngineProcess.start(out, Map.of(), "resume", run.toString());
        Thread.sleep(4000);
        sigkill(second);
        Process last = EngineProcess.start(out, Map.of(), "resume", run.toString());
        assertTrue(last.waitFor(300, TimeUnit.SECONDS), Files.readString(out));
        assertEquals(0, last.exitValue(), Files.readString(out));

        SlurmJobsFile jobs = SlurmJobsFile.load(run);
        assertEquals(1, jobs.arrays().size(), "nothing was submitted twice: " + jobs.arrays());
        assertTrue(jobs.arrays().get(0).isSubmitted());
        for (String id : trialIds(run)) {
            JsonNode r = result(run, id);
            assertNotNull(r, id);
            assertTrue(List.of("completed", "diverged").contains(r.get("status").asText()), id);
            assertEquals(1, starts(run, id), id + " ran more than once\n" + Files.readString(run.resolve("trials").resolve(id).resolve("worker.log")));
            try (Stream<Path> files = Files.list(run.resolve("trials").resolve(id))) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().contains("result")).count(), id);
            }
        }
    }

    @Test
    @Order(4)
    void cancelStopsTheEngineAndCancelsTheSweepsJobs() throws Exception {
        Path grid = Fixtures.grid(tmp, "cancelled", model, data, """
                methods:
                  lora-hang: {method: lora, fault_injection: {kind: hang, at_step: 1}, grid: {seed: [1, 2]}}
                settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 32, max_eval_samples: 32}
                execution: {backend: slurm, threads_per_worker: 1, max_retries: 0}
                """);
        Path run = tmp.resolve("runs-cancel/cancelled");
        runFolders.add(run);
        Path out = tmp.resolve("cancel.out");
        Process engine = EngineProcess.start(out, Map.of("ROBUSTSWEEP_ALLOW_FAULTS", "1"), "run", grid.toString(), "--runs-dir", run.getParent().toString());
        awaitTrialStart(run, engine, out);
        String arrayId = SlurmJobsFile.load(run).arrays().get(0).arrayJobId();
        Path cancelOut = tmp.resolve("cancel-cmd.out");
        Process cancel = EngineProcess.start(cancelOut, Map.of(), "cancel", run.toString(), "--grace", "10");
        assertTrue(cancel.waitFor(60, TimeUnit.SECONDS));
        String printed = Files.readString(cancelOut);
        assertEquals(0, cancel.exitValue(), printed);
        assertTrue(printed.contains("cancelled the sweep's Slurm array jobs: " + arrayId), printed);
        assertFalse(engine.isAlive(), "the engine was stopped");
        List<SlurmTaskStatus> tasks = List.of();
        for (int i = 0; i < 100; i++) {
            tasks = client.queryArray(arrayId);
            if (tasks.size() == 2 && tasks.stream().allMatch(t -> t.state() == SlurmJobState.CANCELLED)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("tasks not cancelled: " + tasks);
    }

    @Test
    @Order(5)
    void taskOverItsTimeLimitFailsWithTimeout() throws Exception {
        assertTrue(timeLimitEngine.waitFor(200, TimeUnit.SECONDS), Files.readString(timeLimitOut));
        System.out.printf("slurm: time-limit sweep ended %.0f s after its start%n", (System.nanoTime() - timeLimitStart) / 1e9);
        assertEquals(1, timeLimitEngine.exitValue(), "a failed trial: exit 1\n" + Files.readString(timeLimitOut));
        Path run = runFolders.get(0);
        String id = trialIds(run).get(0);
        List<JsonNode> ends = AttemptLog.read(run.resolve("trials").resolve(id)).stream().filter(e -> e.get("event").asText().equals("end")).toList();
        assertEquals(1, ends.size(), ends.toString());
        assertTrue(ends.get(0).get("reason").asText().startsWith("Slurm TIMEOUT"), ends.get(0).toString());
        Path statusOut = tmp.resolve("status.out");
        Process status = EngineProcess.start(statusOut, Map.of(), "status", run.toString());
        assertTrue(status.waitFor(60, TimeUnit.SECONDS));
        String s = Files.readString(statusOut);
        assertTrue(s.contains("failed 1") && s.contains(id + ": Slurm TIMEOUT"), s);
    }

    /** Waits until some trial's worker printed @trial-start (its task runs); returns that trial's id. */
    private static String awaitTrialStart(Path run, Process engine, Path out) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (Files.isDirectory(run.resolve("trials"))) {
                for (String id : trialIds(run)) if (starts(run, id) > 0) return id;
            }
            assertTrue(engine.isAlive(), "engine ended early\n" + Files.readString(out));
            Thread.sleep(100);
        }
        throw new AssertionError("no trial started within 120 s\n" + Files.readString(out));
    }

    private static void sigkill(Process engine) throws Exception {
        List<ProcessHandle> children = engine.descendants().toList();
        engine.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        engine.waitFor(30, TimeUnit.SECONDS);
    }

    private static int doneCount(Path run) throws IOException {
        int n = 0;
        for (String id : trialIds(run)) if (result(run, id) != null) n++;
        return n;
    }

    private static List<String> trialIds(Path run) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) if (!line.isBlank()) ids.add(JSON.readTree(line).get("trial_id").asText());
        return ids;
    }

    private static JsonNode result(Path run, String id) throws IOException {
        Path f = run.resolve("trials").resolve(id).resolve("result.json");
        return Files.exists(f) ? JSON.readTree(f.toFile()) : null;
    }

    private static long starts(Path run, String id) throws IOException {
        Path log = run.resolve("trials").resolve(id).resolve("worker.log");
        if (!Files.exists(log)) return 0;
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.startsWith("@trial-start ")).count();
        }
    }

    /** A result without what depends on where and when it ran (timings, also per epoch; memory; host, pids). */
    private static JsonNode content(JsonNode result) {
        ObjectNode c = result.deepCopy();
        c.remove(List.of("timings", "peak_memory", "environment"));
        for (JsonNode epoch : c.path("epochs")) ((ObjectNode) epoch).remove(List.of("train_s", "eval_s"));
        assertFalse(c.toString().contains("_s\""), "a timing left in the compared content: " + c);
        return c;
    }
}
