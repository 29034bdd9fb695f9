package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder trials (one training run, several commonsense evaluation tasks, per_task in result.json):
 * each evaluation task becomes its own row; extrinsic = median test accuracy, intrinsic = 1 / median NLL.
 */
class CommonsenseReportTest {
    @TempDir Path run;

    void result(String trial, String status, String method, double lr, String perTask) throws Exception {
        Path dir = run.resolve("trials").resolve(trial);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), String.format(Locale.ROOT, """
                {"schema": "robustsweep.result/1", "trial_id": "%s", "status": "%s", "reason": null,
                 "task": "commonsense", "method": "%s", "grid_point": {"learning_rate": %s, "batch_size": 8},
                 "metrics": %s,
                 "per_task": %s,
                 "generations": {"cs-piqa": [{"response": "the correct answer is solution1", "prediction": "solution1"}]},
                 "train_loss_curve": [[1, 2.0], [2, 1.5]]}
                """, trial, status, method, lr, status.equals("completed") ? "{\"accuracy\": 0.5, \"nll\": 1.0, \"eval_examples\": 8, \"epoch\": 3}" : "null", perTask));
    }

    static String scores(double piqaAcc, double piqaNll, double arcAcc, double arcNll) {
        return String.format(Locale.ROOT, "{\"cs-piqa\": {\"accuracy\": %s, \"nll\": %s, \"examples\": 4, \"correct\": 2, \"no_answer\": 0},"
                + " \"cs-arc-e\": {\"accuracy\": %s, \"nll\": %s, \"examples\": 4, \"correct\": 1, \"no_answer\": 1}}", piqaAcc, piqaNll, arcAcc, arcNll);
    }

    private static RobustnessRow row(Report.Result r, String task, String method, String metric) {
        return r.robustness().stream().filter(x -> x.task().equals(task) && x.method().equals(method) && x.metric().equals(metric))
                .findFirst().orElseThrow(() -> new AssertionError(task + "/" + method + "/" + metric + " in " + r.robustness()));
    }

    @Test
    void everyEvaluationTaskIsARow() throws Exception {
        result("l1", "completed", "lora", 3e-4, scores(0.50, 0.80, 0.25, 1.20));
        result("l2", "completed", "lora", 3e-5, scores(0.75, 0.60, 0.50, 1.00));
        result("l3", "completed", "lora", 1e-5, scores(0.25, 0.90, 0.75, 2.00));
        result("l4", "diverged", "lora", 1e-3, "{\"cs-piqa\": {}, \"cs-arc-e\": {}}");
        result("m1", "completed", "monteclora", 3e-4, scores(0.75, 0.50, 0.50, 1.10));
        result("m2", "failed", "monteclora", 3e-5, "{\"cs-piqa\": {}, \"cs-arc-e\": {}}");
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        assertTrue(r.robustness().stream().noneMatch(x -> x.task().equals("commonsense")), "the training mix is not a task row");
        RobustnessRow piqa = row(r, "cs-piqa", "lora", "accuracy");
        assertEquals(0.50, piqa.robustness(), 1e-12);   // extrinsic: median of .25 .50 .75
        assertEquals(1, piqa.diverged());
        RobustnessRow arcNll = row(r, "cs-arc-e", "lora", "nll");
        assertEquals(1 / 1.20, arcNll.robustness(), 1e-12); // intrinsic: 1 / median of 1.0 1.2 2.0
        assertEquals(1, row(r, "cs-piqa", "monteclora", "accuracy").failed());
        assertFalse(r.scores().table().columnNames().contains("examples"), "per-task counters are not metrics");
        assertEquals(0, r.scores().corruptFiles());
        assertEquals(12, r.scores().rows(), "6 trials x 2 evaluation tasks");
    }
}
