package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.reports.render.PaperTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-skill baseline (majority class, class-prior NLL) as reference rows, lines and a plain statement. */
class BaselineReportTest {
    // MRPC dev: 279 of 408 positive; prior NLL = -(p ln p + (1-p) ln(1-p)), p = 279/408
    static final double MAJORITY = 279 / 408.0;
    static final double PRIOR_NLL = -(MAJORITY * Math.log(MAJORITY) + (1 - MAJORITY) * Math.log(1 - MAJORITY));

    @TempDir
    Path run;

    void result(String trial, String method, double lr, double accuracy, double nll, boolean baseline) throws Exception {
        Path dir = run.resolve("trials").resolve(trial);
        Files.createDirectories(dir);
        String b = baseline ? String.format(Locale.ROOT,
                "\"dev_baseline\": {\"majority_accuracy\": %s, \"prior_nll\": %s, \"label_counts\": [129, 279]},", MAJORITY, PRIOR_NLL) : "";
        Files.writeString(dir.resolve("result.json"), String.format(Locale.ROOT, """
                {"schema": "robustsweep.result/1", "trial_id": "%s", "status": "completed", "reason": null,
                 "task": "mrpc", "method": "%s", "grid_point": {"learning_rate": %s, "batch_size": 8, "seed": 1},
                 "metrics": {"accuracy": %s, "nll": %s, "eval_examples": 408, "epoch": 1}, %s
                 "epochs": [], "tool_version": "0.1.0"}
                """, trial, method, lr, accuracy, nll, b));
    }

    /** full_ft learns (medians 0.80 / 0.45); lora stays at chance (median accuracy 0.55, NLL 0.70 above the prior's 0.624). */
    void sweep(boolean baseline) throws Exception {
        double[] lrs = {1e-5, 5e-5, 3e-4};
        for (int k = 0; k < 3; k++) {
            result("f" + k, "full_ft", lrs[k], 0.78 + 0.02 * k, 0.47 - 0.02 * k, baseline);
            result("l" + k, "lora", lrs[k], 0.50 + 0.05 * k, 0.72 - 0.02 * k, baseline);
        }
    }

    @Test
    void referenceRowsAndNamedFailures() throws Exception {
        sweep(true);
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        PaperTable accuracy = r.robustnessTables().stream().filter(t -> t.title().contains("median accuracy")).findFirst().orElseThrow();
        assertEquals(MAJORITY, accuracy.reference().values()[0], 1e-15);
        assertEquals(MAJORITY, accuracy.reference().values()[1], 1e-15); // average over the one task
        PaperTable intrinsic = r.robustnessTables().stream().filter(t -> t.title().startsWith("Intrinsic")).findFirst().orElseThrow();
        assertEquals(1 / PRIOR_NLL, intrinsic.reference().values()[0], 1e-12); // 1/median NLL of the prior predictor
        // the reference never takes the bold "best" mark: full_ft stays best
        assertEquals(0, accuracy.bestRow(0));
        assertTrue(r.countsNote().contains("NOT above the no-skill baseline"), r.countsNote());
        assertTrue(r.countsNote().contains("lora on mrpc: median accuracy 0.550 <= 0.684 (majority class)"), r.countsNote());
        assertTrue(r.countsNote().contains("lora on mrpc: median NLL 0.700 >= 0.624 (class prior)"), r.countsNote());
        assertFalse(r.countsNote().contains("full_ft on mrpc"), r.countsNote());

        String summary = Report.generate(run, ReportOptions.defaults());
        assertTrue(summary.contains("no-skill basel"), summary);
        String md = Files.readString(run.resolve("report/report.md"));
        assertTrue(md.contains("| _no-skill baseline_ | _0.684_ | _0.684_ |"), md);
        assertTrue(Files.readString(run.resolve("report/tables.tex")).contains("\\textit{no-skill baseline} & \\textit{0.684}"));
        String html = Files.readString(run.resolve("report/report.html"));
        assertTrue(html.contains("<title>no-skill baseline 0.684</title>"), "dashed reference line in the accuracy box plot");
        assertTrue(html.contains("class=\"reference\""));
    }

    @Test
    void everyMethodAboveTheBaselineIsSaidToo() throws Exception {
        for (int k = 0; k < 3; k++) result("f" + k, "full_ft", 1e-5 * (k + 1), 0.78 + 0.02 * k, 0.47 - 0.02 * k, true);
        assertTrue(Report.compute(run, ReportOptions.defaults()).countsNote().contains("Every method's median beats the no-skill baseline"));
    }

    @Test
    void resultsWithoutABaselineShowNone() throws Exception {
        sweep(false);
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        assertTrue(r.allTables().stream().allMatch(t -> t.reference() == null));
        assertFalse(r.countsNote().contains("baseline"), r.countsNote());
    }

    @Test
    void tidyCsvColumnsAreReferencesNotMetricsNorAxes() throws Exception {
        Path csv = run.resolve("scores.csv");
        Files.writeString(csv, """
                task,method,learning_rate,accuracy,majority_accuracy,prior_nll
                mrpc,lora,1e-5,0.5,0.684,0.624
                mrpc,lora,5e-5,0.6,0.684,0.624
                mrpc,full_ft,1e-5,0.8,0.684,0.624
                mrpc,full_ft,5e-5,0.9,0.684,0.624
                """);
        Report.Result r = Report.compute(csv, ReportOptions.defaults());
        assertEquals(java.util.List.of("accuracy"), r.metrics());
        assertFalse(r.scores().hyperparameters().contains("majority_accuracy"));
        assertTrue(r.countsNote().contains("lora on mrpc: median accuracy 0.550 <= 0.684"), r.countsNote());
    }
}
