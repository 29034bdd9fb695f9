package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.cli.RobustSweep;
import dev.robustsweep.engine.FakeWorker;
import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.execution.LocalBackend;
import dev.robustsweep.engine.execution.WorkerSlot;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.store.ResultCheck;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.engine.store.TrialStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 2: a result.json is "done" only if it is a whole, valid result of its own trial.
 * A hand-written {"status":"completed"}, a truncated file, and another trial's result are listed by
 * status (by path, with the problem), re-run by resume, and kept as result.invalid-N.json.
 */
class DamagedResultsTest {
    @TempDir Path tmp;

    static String valid(String trialId) {
        return "{\"schema\":\"robustsweep.result/1\",\"trial_id\":\"" + trialId + "\",\"status\":\"completed\",\"task\":\"mrpc\",\"method\":\"lora\","
                + "\"metrics\":{\"accuracy\":0.5,\"nll\":0.7},\"trial\":{},\"tool_version\":\"t\",\"seeds\":{},\"checksums\":{}}";
    }

    @Test
    void invalidResultsAreListedByStatusRerunByResumeAndKeptAside() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 20, 10);
        Path grid = Fixtures.grid(tmp, "s", model, data, "methods: [lora]\ngrid: {seed: [1, 2, 3, 4, 5]}\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(grid));
        Path dir = tmp.resolve("runs/s");
        RunStore store = RunStore.create(dir, "s", grid, Files.readAllBytes(grid), v.trials(), v.grid().execution());
        List<String> ids = store.trials().stream().map(t -> t.trialId).toList();
        String bare = ids.get(0), truncated = ids.get(1), foreign = ids.get(2), good = ids.get(3);
        for (String id : List.of(bare, truncated, foreign, good)) Files.createDirectories(store.trialDir(id));
        Files.writeString(store.trialDir(bare).resolve("result.json"), "{\"status\":\"completed\"}");
        String whole = valid(truncated);
        Files.writeString(store.trialDir(truncated).resolve("result.json"), whole.substring(0, whole.length() / 2));
        Files.writeString(store.trialDir(foreign).resolve("result.json"), valid(good));
        Files.writeString(store.trialDir(good).resolve("result.json"), valid(good));

        // status: one completed, four not done; the three invalid files listed by path with their problem
        String[] status = cli("status", dir.toString());
        assertEquals("0", status[0], status[2]);
        assertTrue(status[1].contains("completed 1  diverged 0  failed 0  running 0  pending 4"), status[1]);
        assertTrue(status[1].contains("invalid result files"), status[1]);
        assertTrue(status[1].contains(store.trialDir(bare).resolve("result.json") + ": \"schema\" must be"), status[1]);
        assertTrue(status[1].contains(store.trialDir(truncated).resolve("result.json") + ": not valid JSON (truncated or damaged)"), status[1]);
        assertTrue(status[1].contains(store.trialDir(foreign).resolve("result.json") + ": \"trial_id\" is \"" + good + "\", but the folder is trial " + foreign), status[1]);

        // resume: re-runs exactly the four trials without a valid result, keeping each bad file aside
        ExecutionSettings exec = ExecutionSettings.defaults().withWorkers(2).withThreads(1).withTimeout(Duration.ofSeconds(60));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepOutcome outcome;
        try (LocalBackend backend = new LocalBackend(FakeWorker.command(Map.of()), WorkerSlot.slots(exec))) {
            outcome = new SweepRunner(RunStore.open(dir), exec, backend, new ProgressPrinter(new PrintStream(log, true), false, 2, Duration.ofSeconds(30))).run(false);
        }
        assertTrue(outcome.allDone(), log.toString());
        assertEquals(5, outcome.count(TrialStatus.COMPLETED));
        assertTrue(log.toString().contains("4 to run"), log.toString());
        for (String id : List.of(bare, truncated, foreign)) {
            assertTrue(Files.exists(store.trialDir(id).resolve("result.invalid-1.json")), "bad file of " + id + " kept");
            assertTrue(log.toString().contains("invalid  " + store.trialDir(id).resolve("result.json")), log.toString());
            assertNull(ResultCheck.problem(new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.trialDir(id).resolve("result.json").toFile()), id));
        }
        assertEquals("{\"status\":\"completed\"}", Files.readString(store.trialDir(bare).resolve("result.invalid-1.json")));
        assertEquals(valid(good), Files.readString(store.trialDir(good).resolve("result.json")), "a valid result is never touched");
        assertFalse(Files.exists(store.trialDir(good).resolve("worker.log")), "a done trial is never started again");
        assertFalse(cli("status", dir.toString())[1].contains("invalid result files"));
    }

    @Test
    void aSecondInvalidFileGetsTheNextNumber() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 20, 10);
        Path grid = Fixtures.grid(tmp, "n", model, data, "methods: [lora]\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(grid));
        RunStore store = RunStore.create(tmp.resolve("runs/n"), "n", grid, Files.readAllBytes(grid), v.trials(), v.grid().execution());
        String id = store.trials().get(0).trialId;
        Files.createDirectories(store.trialDir(id));
        Files.writeString(store.trialDir(id).resolve("result.invalid-1.json"), "first");
        Files.writeString(store.trialDir(id).resolve("result.json"), "");
        assertEquals("empty file", store.readResultFile(id).problem());
        assertEquals(store.trialDir(id).resolve("result.invalid-2.json"), store.setAsideInvalidResult(id));
        assertEquals("first", Files.readString(store.trialDir(id).resolve("result.invalid-1.json")));
        assertNull(store.readResultFile(id), "result.json moved, not copied");
    }

    @Test
    void theSchemaCheckNamesWhatIsMissing() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertNull(ResultCheck.problem(json.readTree(valid("t")), "t"));
        assertEquals("a completed result needs \"metrics\", found null",
                ResultCheck.problem(json.readTree(valid("t").replace("{\"accuracy\":0.5,\"nll\":0.7}", "null")), "t"));
        assertEquals("\"metrics.nll\" must be a number, found nothing",
                ResultCheck.problem(json.readTree(valid("t").replace(",\"nll\":0.7", "")), "t"));
        assertNull(ResultCheck.problem(json.readTree(valid("t").replace("completed", "diverged").replace("{\"accuracy\":0.5,\"nll\":0.7}", "null")), "t"),
                "a diverged trial may have no evaluation");
        assertEquals("missing \"checksums\" (every result records its trial, seeds and checksums)",
                ResultCheck.problem(json.readTree(valid("t").replace(",\"checksums\":{}", "")), "t"));
        assertEquals("missing \"task\"", ResultCheck.problem(json.readTree(valid("t").replace("\"task\":\"mrpc\",", "")), "t"));
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out, e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            code = RobustSweep.commandLine().execute(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
