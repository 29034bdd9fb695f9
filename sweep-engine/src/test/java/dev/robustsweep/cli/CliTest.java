package dev.robustsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.store.RunLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir Path tmp;

    private static String[] capture(String... args) {
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

    @Test
    void dryRunPrintsCountsPerTaskAndMethodAndAnEstimateAndWritesNothing() throws Exception {
        Path grid = Fixtures.grid(tmp, "dry", Fixtures.tinyModel(tmp.resolve("tiny")), Fixtures.mrpcLikeData(tmp.resolve("data"), 40, 20), """
                methods:
                  lora: {}
                  monteclora-sparse: {method: monteclora, mixture: sparse, grid: {seed: [1, 2, 3]}}
                grid: {learning_rate: [3e-4, 5e-5]}
                execution: {workers: 2, threads_per_worker: 1}
                """);
        String[] r = capture("run", grid.toString(), "--dry-run", "--runs-dir", tmp.resolve("runs").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("sweep 'dry', 8 trials"), r[1]);
        assertTrue(r[1].contains("mrpc  lora                      2"), r[1]);
        assertTrue(r[1].contains("mrpc  monteclora-sparse         6"), r[1]);
        assertTrue(r[1].matches("(?s).*estimated duration: [0-9.]+s on 2 CPU worker\\(s\\) x 1 thread\\(s\\).*"), r[1]);
        assertTrue(r[1].contains("run folder: " + tmp.resolve("runs").resolve("dry") + " (nothing was written)"), "--runs-dir honoured: " + r[1]);
        assertFalse(Files.exists(tmp.resolve("runs")), "a dry run writes nothing");
    }

    @Test
    void resumeAndStatusRefuseAFolderThatIsNotARun() {
        String[] r = capture("status", tmp.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("robustsweep: " + tmp + ": not a run folder"), r[2]);
        assertEquals("2", capture("resume", tmp.toString())[0]);
    }

    @Test
    void cancelStopsTheEngineAndItsWorkersAndResumeFinishesTheSweep() throws Exception {
        Path grid = Fixtures.grid(tmp, "cancelme", Fixtures.tinyModel(tmp.resolve("tiny")), Fixtures.mrpcLikeData(tmp.resolve("data"), 40, 20), """
                methods: [lora]
                grid: {seed: [1, 2, 3, 4]}
                execution: {workers: 2, threads_per_worker: 1}
                """);
        Path script = Path.of(getClass().getResource("/fake-worker.sh").toURI());
        Path runs = tmp.resolve("runs");
        Path run = runs.resolve("cancelme");
        Path out = tmp.resolve("engine.out");
        Process engine = EngineProcess.builder(out, Map.of("FAKE_STEP_SECONDS", "2"), List.of(), List.of("-Drobustsweep.worker.command=bash " + script),
                "run", grid.toString(), "--runs-dir", runs.toString()).start();
        // wait until both workers have started
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (engine.children().count() < 2 && System.nanoTime() < deadline) Thread.sleep(100);
        List<ProcessHandle> workers = engine.children().toList();
        assertTrue(workers.size() >= 2, Files.readString(out));
        String[] r = capture("cancel", run.toString(), "--grace", "20");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("stopping engine pid " + engine.pid()), r[1]);
        assertTrue(engine.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, engine.exitValue(), "ended by SIGTERM");
        for (ProcessHandle w : workers) assertFalse(w.isAlive(), "worker " + w.pid() + " outlived its engine");
        assertEquals(-1, RunLock.liveOwnerPid(run));
        try (Stream<Path> results = Files.walk(run).filter(p -> p.getFileName().toString().equals("result.json"))) {
            assertEquals(0, results.count(), "cancelled before any trial finished");
        }
        String[] status = capture("status", run.toString());
        assertTrue(status[1].contains("completed 0  diverged 0  failed 0  running 0  pending 4"), status[1]);

        Process resume = EngineProcess.builder(out, Map.of("FAKE_STEP_SECONDS", "0"), List.of(), List.of("-Drobustsweep.worker.command=bash " + script),
                "resume", run.toString()).start();
        assertTrue(resume.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, resume.exitValue(), Files.readString(out));
        assertTrue(capture("status", run.toString())[1].contains("completed 4  diverged 0  failed 0  running 0  pending 0"));
    }
}
