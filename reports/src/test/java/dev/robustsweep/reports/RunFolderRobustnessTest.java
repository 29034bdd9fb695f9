package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Robustness and spread of a hand-built run folder, against values computed by hand in the comments. */
class RunFolderRobustnessTest {
    @TempDir
    Path run;

    static void result(Path run, String sub, String trial, String status, String task, String method, double lr, int bs,
                       Double acc, Double nll) throws Exception {
        Path dir = run.resolve(sub).resolve("trials").resolve(trial);
        Files.createDirectories(dir);
        String metrics = acc == null ? "null" : String.format(Locale.ROOT,
                "{\"accuracy\": %s, \"nll\": %s, \"f1\": 0.5, \"mcc\": 0.1, \"eval_examples\": 408, \"epoch\": 3}", acc, nll);
        Files.writeString(dir.resolve("result.json"), String.format(Locale.ROOT, """
                {"schema": "robustsweep.result/1", "trial_id": "%s", "status": "%s", "reason": null,
                 "task": "%s", "method": "%s", "grid_point": {"learning_rate": %s, "batch_size": %d, "seed": 1},
                 "metrics": %s,
                 "epochs": [{"epoch": 1, "train_loss": 0.6, "extra_losses": {"kl": 0.0}}],
                 "train_loss_curve": [[10, 0.69], [20, 0.6], [30, 0.52]],
                 "method_state": {"anything": [1, 2, {"deep": true}]}, "tool_version": "0.1.0"}
                """, trial, status, task, method, lr, bs, metrics));
    }

    @BeforeEach
    void buildRun() throws Exception {
        // lora on mrpc: 4 completed + 1 diverged (kept) + 1 failed (excluded)
        result(run, "s1", "l1", "completed", "mrpc", "lora", 1e-4, 8, 0.80, 0.50);
        result(run, "s1", "l2", "completed", "mrpc", "lora", 1e-4, 32, 0.84, 0.40);
        result(run, "s1", "l3", "completed", "mrpc", "lora", 3e-4, 8, 0.70, 0.80);
        result(run, "s1", "l4", "completed", "mrpc", "lora", 3e-4, 32, 0.90, 0.30);
        result(run, "s1", "l5", "diverged", "mrpc", "lora", 1e-3, 32, 0.50, 0.69);
        result(run, "s1", "l6", "failed", "mrpc", "lora", 1e-3, 8, null, null);
        // monteclora on mrpc, in a deeper folder (depth must not matter)
        result(run.resolve("nested/deeper"), "s2", "m1", "completed", "mrpc", "monteclora", 1e-4, 8, 0.82, 0.45);
        result(run, "s2", "m2", "completed", "mrpc", "monteclora", 1e-4, 32, 0.85, 0.38);
        result(run, "s2", "m3", "completed", "mrpc", "monteclora", 3e-4, 8, 0.80, 0.50);
        result(run, "s2", "m4", "completed", "mrpc", "monteclora", 3e-4, 32, 0.88, 0.35);
        // rte: one trial each
        result(run, "s3", "r1", "completed", "rte", "lora", 1e-4, 8, 0.50, 0.90);
        result(run, "s3", "r2", "completed", "rte", "monteclora", 1e-4, 8, 0.60, 0.70);
        // a corrupt file: skipped and counted
        Path bad = run.resolve("s4/trials/broken");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("result.json"), "{\"status\": \"completed\", \"task\": ");
    }

    private static RobustnessRow row(Report.Result r, String task, String method, String metric) {
        return r.robustness().stream().filter(x -> x.task().equals(task) && x.method().equals(method)
                && x.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void loraAccuracyDistributionByHand() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        RobustnessRow acc = row(r, "mrpc", "lora", "accuracy");
        // scored: 0.50 (diverged), 0.70, 0.80, 0.84, 0.90; failed excluded
        assertEquals(5, acc.n());
        assertEquals(1, acc.diverged());
        assertEquals(1, acc.failed());
        assertEquals(0.80, acc.robustness(), 1e-12);      // extrinsic = median
        assertEquals(0.40, acc.spread(), 1e-12);          // 0.90 - 0.50
        assertEquals(0.84 - 0.70, acc.iqr(), 1e-12);      // type 7: Q1 at position 1, Q3 at position 3
        assertEquals(0.90, acc.best(), 1e-12);
        assertEquals(0.50, acc.worst(), 1e-12);
        assertEquals(3.74 / 5, acc.mean(), 1e-12);
        // squared deviations from 0.748: .061504 + .002304 + .002704 + .008464 + .023104 = .09808
        assertEquals(Math.sqrt(0.09808 / 4), acc.sd(), 1e-12);
    }

    @Test
    void intrinsicRobustnessIsOneOverMedianNll() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        RobustnessRow lora = row(r, "mrpc", "lora", "nll");
        assertEquals(1 / 0.50, lora.robustness(), 1e-12);  // NLL sorted .30 .40 .50 .69 .80
        assertEquals(0.30, lora.best(), 1e-12);            // lowest NLL is best
        assertEquals(0.80, lora.worst(), 1e-12);
        assertEquals(0.50, lora.spread(), 1e-12);
        RobustnessRow mc = row(r, "mrpc", "monteclora", "nll");
        assertEquals(1 / ((0.38 + 0.45) / 2), mc.robustness(), 1e-12); // sorted .35 .38 .45 .50
        RobustnessRow mcAcc = row(r, "mrpc", "monteclora", "accuracy");
        assertEquals((0.82 + 0.85) / 2, mcAcc.robustness(), 1e-12);
        assertEquals(0.08, mcAcc.spread(), 1e-12);
        assertEquals((0.85 + 0.25 * 0.03) - (0.80 + 0.75 * 0.02), mcAcc.iqr(), 1e-12); // Q3 at 2.25, Q1 at 0.75
    }

    @Test
    void averageIsTheMeanOverTasks() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        assertEquals((0.80 + 0.50) / 2, row(r, RobustnessRow.AVERAGE, "lora", "accuracy").robustness(), 1e-12);
        assertEquals((1 / 0.50 + 1 / 0.90) / 2, row(r, RobustnessRow.AVERAGE, "lora", "nll").robustness(), 1e-12);
        assertEquals(6, row(r, RobustnessRow.AVERAGE, "lora", "accuracy").n());
    }

    @Test
    void corruptFileIsSkippedCountedAndNamed() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        assertEquals(1, r.scores().corruptFiles());
        assertEquals(13 - 1, r.scores().rows());
        assertTrue(r.scores().warnings().get(0).contains("broken"), r.scores().warnings().get(0));
    }

    @Test
    void withinTaskPairsByGridPoint() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        ComparisonRow mrpc = r.tests().stream().filter(c -> c.family() == ComparisonFamily.WITHIN_TASK
                && c.task().equals("mrpc") && c.metric().equals("accuracy")).findFirst().orElseThrow();
        assertEquals("monteclora", mrpc.methodA());
        assertEquals(4, mrpc.n()); // lora's lr 1e-3 points have no monteclora partner
        // d = .02, .01, .10, -.02 (monteclora - lora): three positive, one negative of middling size, so the
        // rank-biserial correlation lies strictly between 0 and 1 whatever floating point does to the .02 tie
        assertTrue(mrpc.effectSize() > 0 && mrpc.effectSize() < 1);
        // across tasks: 2 tasks, NLL oriented higher-is-better (intrinsic robustness)
        ComparisonRow across = r.tests().stream().filter(c -> c.family() == ComparisonFamily.ACROSS_TASKS
                && c.metric().equals("nll")).findFirst().orElseThrow();
        assertEquals(2, across.n());
        assertEquals(3.0, across.statistic()); // both tasks favour monteclora: W+ = 1 + 2
        assertEquals(0.25, across.pValue(), 1e-12); // exact, 1 of 4 sign patterns
    }
}
