package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.engine.FakeWorker;
import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.execution.LocalBackend;
import dev.robustsweep.engine.execution.WorkerSlot;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.store.AttemptLog;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.engine.store.TrialState;
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

/** The engine loop against a scripted worker: retries, timeouts, crash and failure reasons, diverged is final, resume. */
class SweepRunnerTest {
    @TempDir Path tmp;

    private RunStore store(String methods, int seeds) throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 20, 10);
        StringBuilder seedList = new StringBuilder();
        for (int i = 1; i <= seeds; i++) seedList.append(i == 1 ? "" : ", ").append(i);
        Path grid = Fixtures.grid(tmp, "s", model, data, methods + "grid: {seed: [" + seedList + "]}\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(grid));
        return RunStore.create(tmp.resolve("runs/s"), "s", grid, Files.readAllBytes(grid), v.trials(), v.grid().execution());
    }

    private SweepOutcome run(RunStore store, ExecutionSettings exec, boolean retryFailed, ByteArrayOutputStream log) throws Exception {
        try (LocalBackend backend = new LocalBackend(FakeWorker.command(Map.of()), WorkerSlot.slots(exec))) {
            ProgressPrinter printer = new ProgressPrinter(new PrintStream(log, true), false, backend.capacity(), Duration.ofSeconds(30));
            return new SweepRunner(store, exec, backend, printer).run(retryFailed);
        }
    }

    @Test
    void failuresAreRetriedThenRecordedDivergedIsFinalAndTheRestCompletes() throws Exception {
        RunStore store = store("methods:\n  lora: {}\n  lora-crash: {method: lora}\n  lora-hang: {method: lora}\n  lora-fail: {method: lora}\n  lora-nan: {method: lora}\n", 2);
        ExecutionSettings exec = ExecutionSettings.defaults().withWorkers(4).withThreads(1).withMaxRetries(1).withTimeout(Duration.ofSeconds(2));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SweepOutcome outcome = run(store, exec, false, log);
        String printed = log.toString();
        assertFalse(outcome.interrupted());
        assertEquals(2, outcome.count(TrialStatus.COMPLETED), printed);
        assertEquals(2, outcome.count(TrialStatus.DIVERGED), printed);
        assertEquals(6, outcome.count(TrialStatus.FAILED), printed);
        for (TrialState s : outcome.states().values()) {
            List<JsonNode> events = AttemptLog.read(store.trialDir(s.trialId()));
            String id = s.trialId();
            if (id.contains("-lora-crash-")) {
                assertEquals(2, s.attempts(), "one try plus max_retries 1");
                assertTrue(s.lastFailure().startsWith("crashed (SIGSEGV, exit 139)"), s.lastFailure());
            } else if (id.contains("-lora-hang-")) {
                assertEquals(2, s.attempts());
                assertEquals("timed out after 2.0s", s.lastFailure());
            } else if (id.contains("-lora-fail-")) {
                assertEquals("worker failed (exit 1): boom: something broke", s.lastFailure());
            } else {
                assertEquals(1, s.attempts(), "completed and diverged trials run once: " + id);
                assertEquals(3, events.size(), "start, started (with its slot), end");
                assertTrue(events.get(1).path("slot").asText().matches("cpu[0-3]"), events.get(1).toString());
            }
            if (s.status() == TrialStatus.FAILED) assertNull(store.readResult(id), "a failed trial has no result.json");
        }
        assertTrue(printed.contains("retry     mrpc-lora-crash-s1-"), printed);
        assertTrue(printed.contains("diverged  mrpc-lora-nan-s1-"), printed);
        assertTrue(printed.contains("[##############################] 10/10  completed 2  diverged 2  failed 6  running 0"), printed);

        // a worker's log holds every attempt: the engine's @attempt header, then the worker's own output
        String crashLog = Files.readString(store.trialDir(outcome.states().keySet().stream().filter(i -> i.contains("crash")).findFirst().orElseThrow()).resolve("worker.log"));
        assertEquals(2, crashLog.lines().filter(l -> l.startsWith("@attempt ")).count());
        assertEquals(2, crashLog.lines().filter(l -> l.startsWith("@trial-start ")).count());
        assertTrue(crashLog.contains("threads=1 cuda=[]"), crashLog);

        // resume runs nothing (failed is final without --retry-failed) ...
        SweepOutcome again = run(store, exec, false, new ByteArrayOutputStream());
        assertEquals(outcome.states().keySet(), again.states().keySet());
        for (TrialState s : again.states().values()) assertEquals(outcome.states().get(s.trialId()).attempts(), s.attempts());
        // ... and --retry-failed reruns exactly the failed ones, with a fresh budget
        SweepOutcome retried = run(store, exec, true, new ByteArrayOutputStream());
        for (TrialState s : retried.states().values()) {
            int before = outcome.states().get(s.trialId()).attempts();
            assertEquals(s.status() == TrialStatus.FAILED ? before + 2 : before, s.attempts(), s.trialId());
        }
    }

    @Test
    void resumeAfterAnInterruptedAttemptRunsOnlyTrialsWithoutResult() throws Exception {
        RunStore store = store("methods: [lora, dora]\n", 3);
        ExecutionSettings exec = ExecutionSettings.defaults().withWorkers(2).withThreads(1);
        // an earlier engine died: one trial done, one with a started attempt and a temp file, the rest untouched
        String done = store.trials().get(0).trialId;
        String interrupted = store.trials().get(1).trialId;
        Files.createDirectories(store.trialDir(done));
        String doneResult = "{\"schema\":\"robustsweep.result/1\",\"trial_id\":\"" + done + "\",\"status\":\"completed\",\"task\":\"mrpc\",\"method\":\"lora\","
                + "\"metrics\":{\"accuracy\":0.5,\"nll\":0.7},\"trial\":{},\"tool_version\":\"test\",\"seeds\":{},\"checksums\":{}}";
        Files.writeString(store.trialDir(done).resolve("result.json"), doneResult);
        AttemptLog.start(store.trialDir(interrupted), 1);
        Files.writeString(store.trialDir(interrupted).resolve(".result.json123.tmp"), "{\"status\":\"comp");
        SweepOutcome outcome = run(store, exec, false, new ByteArrayOutputStream());
        assertTrue(outcome.allDone());
        assertEquals(doneResult, Files.readString(store.trialDir(done).resolve("result.json")));
        assertFalse(Files.exists(store.trialDir(done).resolve("worker.log")), "a done trial is never started again");
        assertEquals(2, outcome.states().get(interrupted).attempts());
        assertFalse(Files.exists(store.trialDir(interrupted).resolve(".result.json123.tmp")), "leftover temp file removed");
    }

    @Test
    void gpuSlotsPinOneWorkerPerGpuThroughCudaVisibleDevices() throws Exception {
        RunStore store = store("methods: [lora]\n", 6);
        ExecutionSettings exec = ExecutionSettings.defaults().withDevices(List.of("0", "1"));
        SweepOutcome outcome = run(store, exec, false, new ByteArrayOutputStream());
        assertTrue(outcome.allDone());
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (String id : outcome.states().keySet()) {
            String log = Files.readString(store.trialDir(id).resolve("worker.log"));
            String slot = log.lines().filter(l -> l.startsWith("@attempt ")).findFirst().orElseThrow();
            String cuda = log.lines().filter(l -> l.startsWith("threads=")).findFirst().orElseThrow();
            // slot gpu0/0 runs with CUDA_VISIBLE_DEVICES=0, gpu1/1 with 1
            assertTrue(slot.contains("\"slot\":\"gpu0/0\"") && cuda.endsWith("cuda=[0]") || slot.contains("\"slot\":\"gpu1/1\"") && cuda.endsWith("cuda=[1]"), slot + " / " + cuda);
            seen.add(cuda);
            assertTrue(Files.readString(store.trialDir(id).resolve("trial.json")).contains("\"device\" : \"gpu\""));
        }
        assertEquals(java.util.Set.of("threads=unset cuda=[0]", "threads=unset cuda=[1]"), seen);
    }
}
