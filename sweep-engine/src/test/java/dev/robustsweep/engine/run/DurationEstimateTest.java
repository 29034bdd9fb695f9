package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dry run's estimate follows the machine: a run folder's finished trials calibrate it. */
class DurationEstimateTest {
    @TempDir Path tmp;

    private ValidatedGrid grid() throws Exception {
        Path g = Fixtures.grid(tmp, "est", Fixtures.tinyModel(tmp.resolve("tiny")), Fixtures.mrpcLikeData(tmp.resolve("data"), 40, 20), """
                methods: [lora, full_ft]
                grid: {learning_rate: [3e-4, 5e-5], seed: [1, 2]}
                execution: {workers: 2, threads_per_worker: 1}
                """);
        return GridValidator.check(GridFile.read(g));
    }

    private static void result(RunStore store, TrialConfig t, String status, double wall) throws Exception {
        Path dir = store.prepareTrial(t).getParent();
        Files.writeString(dir.resolve(RunStore.RESULT), String.format(Locale.ROOT, """
                {"schema": "robustsweep.result/1", "trial_id": "%s", "status": "%s", "reason": "x", "task": "mrpc",
                 "method": "%s", "metrics": {"accuracy": 0.7, "nll": 0.6}, "timings": {"wall_s": %s},
                 "trial": {}, "seeds": {}, "checksums": {}, "tool_version": "test"}
                """, t.trialId, status, t.method, wall));
    }

    @Test
    void finishedTrialsScaleTheEstimateAndLeaveTheRest() throws Exception {
        ValidatedGrid v = grid();
        ExecutionSettings exec = v.grid().execution();
        Path runs = tmp.resolve("runs");
        assertEquals(0, DurationEstimate.calibrate(runs.resolve("est"), v, exec).done().size(), "no folder: no calibration");

        RunStore store = RunStore.create(runs.resolve("est"), "est", v.grid().source().file(), v.grid().source().bytes(), v.trials(), exec);
        // three trials measured at 2x, 3x and 10x their estimate (median 3x); a failed one says nothing
        TrialConfig[] t = v.trials().toArray(new TrialConfig[0]);
        double[] times = {2, 3, 10};
        for (int i = 0; i < 3; i++) result(store, t[i], "completed", times[i] * DurationEstimate.trialSeconds(t[i], v.resources(), exec));
        result(store, t[3], "failed", 1e6);

        DurationEstimate.Calibration cal = DurationEstimate.calibrate(runs.resolve("est"), v, exec);
        assertEquals(Set.of(t[0].trialId, t[1].trialId, t[2].trialId), cal.done());
        assertEquals(3, cal.timed());
        assertEquals(3.0, cal.factor(), 1e-12);
        // the remaining trials at 3x, packed onto 2 slots: independent recomputation
        double[] left = v.trials().stream().filter(x -> !cal.done().contains(x.trialId))
                .mapToDouble(x -> 3 * DurationEstimate.trialSeconds(x, v.resources(), exec)).sorted().toArray();
        double[] slots = new double[2];
        for (int i = left.length - 1; i >= 0; i--) slots[slots[0] <= slots[1] ? 0 : 1] += left[i];
        assertEquals(Math.max(slots[0], slots[1]), DurationEstimate.sweepSeconds(v, exec, cal.factor(), cal.done()), 1e-9);

        // the dry run says so, and names the --runs-dir folder
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dev.robustsweep.cli.DryRunAccess.print(v, exec, new PrintStream(out, true), runs.resolve("est"));
        String text = out.toString();
        assertTrue(text.contains("for the " + (v.trials().size() - 3) + " trials without a result"), text);
        assertTrue(text.contains("calibrated on this machine: 3 finished trials in " + runs.resolve("est") + " took 3.00x"), text);
        assertTrue(text.contains("run folder: " + runs.resolve("est") + " (exists"), text);
    }
}
