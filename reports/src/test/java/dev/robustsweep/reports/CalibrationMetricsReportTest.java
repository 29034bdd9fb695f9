package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECE and Brier as report metrics (lower is better) and the reliability diagrams, on a hand-built run folder. */
class CalibrationMetricsReportTest {
    static final List<String> TASKS = List.of("mrpc", "cola", "rte", "wic", "boolq");

    @TempDir
    Path run;

    /** A result whose two 15-bin reliability entries are: bin 13 {n=2, correct=2, conf 1.8}, bin 8 {n=1, correct=0, conf .6}. */
    static void result(Path run, String trial, String task, String method, double lr, double ece, double brier) throws Exception {
        Path dir = run.resolve("trials").resolve(trial);
        Files.createDirectories(dir);
        String rel = "{\"bins\": 15, \"counts\": [0,0,0,0,0,0,0,0,1,0,0,0,0,2,0], \"correct\": [0,0,0,0,0,0,0,0,0,0,0,0,0,2,0],"
                + " \"confidence_sum\": [0,0,0,0,0,0,0,0,0.6,0,0,0,0,1.8,0]}";
        Files.writeString(dir.resolve("result.json"), String.format(Locale.ROOT, """
                {"schema": "robustsweep.result/1", "trial_id": "%s", "status": "completed", "reason": null,
                 "task": "%s", "method": "%s", "grid_point": {"learning_rate": %s, "batch_size": 8, "seed": 1},
                 "metrics": {"accuracy": 0.8, "nll": 0.5, "f1": 0.5, "mcc": 0.1, "ece": %s, "brier": %s,
                             "eval_examples": 3, "epoch": 1, "reliability": %s},
                 "epochs": [], "train_loss_curve": [[1, 0.69], [2, 0.6]], "tool_version": "0.1.0"}
                """, trial, task, method, lr, ece, brier, rel));
    }

    @BeforeEach
    void build() throws Exception {
        // monteclora: ECE .02/.04/.06 over three learning rates in every task (median .04);
        // lora: ECE .05 + t/100 (median .06 + t/100), so monteclora's median is lower in all five tasks
        for (int t = 0; t < TASKS.size(); t++) {
            double[] lrs = {1e-5, 5e-5, 3e-4};
            for (int k = 0; k < 3; k++) {
                result(run, TASKS.get(t) + "-m" + k, TASKS.get(t), "monteclora", lrs[k], 0.02 * (k + 1), 0.1 + 0.01 * k);
                result(run, TASKS.get(t) + "-l" + k, TASKS.get(t), "lora", lrs[k], 0.04 + 0.01 * (k + 1) + t / 100.0, 0.2);
            }
        }
    }

    @Test
    void eceIsADefaultLowerIsBetterMetric() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        assertTrue(r.metrics().contains("ece"));
        assertFalse(r.metrics().contains("brier")); // brier on request
        RobustnessRow m = r.robustness().stream().filter(x -> x.task().equals("rte") && x.method().equals("monteclora")
                && x.metric().equals("ece")).findFirst().orElseThrow();
        assertEquals(0.04, m.robustness(), 1e-12); // median ECE
        assertEquals(0.02, m.best(), 1e-12);       // lowest
        assertEquals(0.06, m.worst(), 1e-12);
        // the robustness table marks the LOWER median as best
        var table = r.robustnessTables().stream().filter(t -> t.title().contains("ece")).findFirst().orElseThrow();
        assertFalse(table.higherIsBetter());
        assertTrue(table.isBest(table.methods().indexOf("monteclora"), 0));
    }

    @Test
    void wilcoxonOnEceTreatsLowerAsBetter() {
        Report.Result r = Report.compute(run, ReportOptions.defaults());
        ComparisonRow across = r.tests().stream().filter(c -> c.family() == ComparisonFamily.ACROSS_TASKS
                && c.metric().equals("ece")).findFirst().orElseThrow();
        // monteclora's median ECE is lower in all 5 tasks: W+ = 15, exact one-sided p = 1/32
        assertEquals(5, across.n());
        assertEquals(15.0, across.statistic());
        assertEquals(1.0 / 32, across.pValue(), 1e-12);
        ComparisonRow within = r.tests().stream().filter(c -> c.family() == ComparisonFamily.WITHIN_TASK
                && c.task().equals("mrpc") && c.metric().equals("ece")).findFirst().orElseThrow();
        // per grid point lora - monteclora = .03, .02, .01 > 0 (monteclora better): W+ = 6, p = 1/8
        assertEquals(6.0, within.statistic());
        assertEquals(0.125, within.pValue(), 1e-12);
    }

    @Test
    void brierOnRequestAndReliabilityDiagramsPoolTrials() throws Exception {
        Path out = run.resolve("report");
        Report.generate(run, ReportOptions.builder().optMetrics(List.of("accuracy", "nll", "ece", "brier")).build());
        String csv = Files.readString(out.resolve("robustness.csv"));
        assertTrue(csv.contains("mrpc,monteclora,brier,3,0.11"), csv);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Reliability diagrams"));
        assertTrue(html.contains("Reliability of monteclora (15 trials pooled)"));
        // pooled: bin 14/15 has n = 2 x 15 = 30, accuracy 1, mean confidence .9; pooled ECE = (15 * (0.2 + 0.6)) / 45
        assertTrue(html.contains("bin 14/15: n=30, accuracy 1.000, mean confidence 0.900"), "pooled bin");
        assertTrue(html.contains("bin 9/15: n=15, accuracy 0.000, mean confidence 0.600"), "pooled bin");
        // paper Table 7: per task accuracy, NLL, ECE; median and best over the grid, best per column in bold
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Calibration (paper Table 7): median over the grid"), md);
        // tasks in the run folder's path order (boolq first)
        assertTrue(md.contains("| method | boolq Acc | boolq NLL | boolq ECE | cola Acc |"), md);
        // medians: monteclora ECE .04 (best), lora .06 + t/100 (boolq, t = 4: .10); accuracy and NLL tie (all bold)
        assertTrue(md.contains("| monteclora | **0.800** | **0.500** | **0.040** |"), md);
        assertTrue(md.contains("| lora | **0.800** | **0.500** | 0.100 |"), md);
        assertTrue(md.contains("## Calibration (paper Table 7): best over the grid"), md);
        assertTrue(md.contains("| monteclora | **0.800** | **0.500** | **0.020** |"), md);
        String tex = Files.readString(out.resolve("tables.tex"));
        assertTrue(tex.contains("\\multicolumn{3}{c}{MRPC}"), tex);
        assertTrue(html.contains("<h2>Calibration (paper Table 7): median over the grid of accuracy, NLL and ECE per task</h2>"));
        assertEquals(0.8 / 3, dev.robustsweep.reports.render.ReliabilityFigureAccess.ece(
                new long[] {30, 15}, new long[] {30, 0}, new double[] {27, 9}), 1e-12);
    }
}
