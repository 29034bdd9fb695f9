package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.reports.render.PaperTable;
import dev.robustsweep.reports.stats.BootstrapInterval;
import dev.robustsweep.reports.stats.PercentileBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 1-3 end to end on a tiny tidy CSV: bootstrap intervals in the tables, Friedman rows
 * (values from scipy.stats.friedmanchisquare, quoted below), honest small samples (one task: no test).
 */
class InferenceReportTest {
    @TempDir Path dir;

    // one task, 4 grid points (learning rates); dora ties lora on nll everywhere
    private static final String CSV = """
            task,method,learning_rate,accuracy,nll
            one,lora,1e-4,0.70,0.50
            one,lora,2e-4,0.72,0.40
            one,lora,3e-4,0.65,0.60
            one,lora,4e-4,0.60,0.70
            one,dora,1e-4,0.71,0.50
            one,dora,2e-4,0.69,0.40
            one,dora,3e-4,0.66,0.60
            one,dora,4e-4,0.61,0.70
            one,monteclora,1e-4,0.75,0.45
            one,monteclora,2e-4,0.74,0.35
            one,monteclora,3e-4,0.70,0.55
            one,monteclora,4e-4,0.58,0.65
            """;

    private Report.Result compute(long seed) throws Exception {
        Path csv = Files.writeString(dir.resolve("scores.csv"), CSV);
        return Report.compute(csv, ReportOptions.builder().optMetrics(List.of("accuracy", "nll"))
                .optInference(new InferenceOptions(2000, seed, 0.05)).build());
    }

    @Test
    void friedmanRowsMatchScipy() throws Exception {
        Report.Result r = compute(1);
        ComparisonRow chi2 = r.tests().stream().filter(t -> t.family() == ComparisonFamily.FRIEDMAN_WITHIN_TASK
                && t.metric().equals("accuracy") && t.testMethod().equals("friedman-chi2")).findFirst().orElseThrow();
        // scipy.stats.friedmanchisquare([.70,.72,.65,.60], [.71,.69,.66,.61], [.75,.74,.70,.58]) = (2.0, 0.36787944117144245)
        assertEquals(2.0, chi2.statistic(), 1e-12);
        assertEquals(0.36787944117144245, chi2.pValue(), 1e-12);
        assertEquals(4, chi2.n());
        ComparisonRow f = r.tests().stream().filter(t -> t.family() == ComparisonFamily.FRIEDMAN_WITHIN_TASK
                && t.metric().equals("accuracy") && t.testMethod().equals("iman-davenport-F")).findFirst().orElseThrow();
        // F = 3 * 2 / (4 * 2 - 2) = 1; scipy.stats.f.sf(1, 2, 6) = 0.42187500000000006
        assertEquals(1.0, f.statistic(), 1e-12);
        assertEquals(0.421875, f.pValue(), 1e-12);
        // across tasks there is one block: no test, and it says so
        ComparisonRow across = r.tests().stream().filter(t -> t.family() == ComparisonFamily.FRIEDMAN_ACROSS_TASKS)
                .findFirst().orElseThrow();
        assertTrue(Double.isNaN(across.statistic()) && Double.isNaN(across.pValue()));
        assertTrue(across.testMethod().startsWith("no test (N = 1"), across.testMethod());
    }

    @Test
    void tooFewPairsSayNoTestAndZeroPairsAreNa() throws Exception {
        Report.Result r = compute(1);
        // across tasks: one task = one pair; one-sided min p = 1/2 >= 0.05
        ComparisonRow one = r.tests().stream().filter(t -> t.family() == ComparisonFamily.ACROSS_TASKS
                && t.methodB().equals("lora") && t.metric().equals("accuracy")).findFirst().orElseThrow();
        assertEquals(1, one.n());
        assertEquals(0.5, one.pValue(), 1e-15); // the exact p is kept, and the method says it cannot be significant
        assertEquals("no test (n = 1: min attainable p = 0.5 >= alpha 0.05); exact p shown", one.testMethod());
        // within the task, monteclora vs dora on nll: 4 non-zero differences, min p = 1/16 >= 0.05 -> no test
        ComparisonRow four = r.tests().stream().filter(t -> t.family() == ComparisonFamily.WITHIN_TASK
                && t.methodB().equals("dora") && t.metric().equals("nll")).findFirst().orElseThrow();
        assertTrue(four.testMethod().startsWith("no test (n = 4: min attainable p = 0.063 >= alpha 0.05);"), four.testMethod());
        assertEquals(1.0 / 16, PairedComparisons.minimumAttainableP(4, dev.robustsweep.reports.stats.Alternative.GREATER));
        Path csv = Files.writeString(dir.resolve("same.csv"), """
                task,method,learning_rate,accuracy
                one,lora,1e-4,0.7
                one,lora,2e-4,0.6
                one,monteclora,1e-4,0.7
                one,monteclora,2e-4,0.6
                """);
        Path out = dir.resolve("out");
        Report.generate(csv, ReportOptions.builder().optOutDir(out).optMetrics(List.of("accuracy"))
                .optInference(new InferenceOptions(200, 1, 0.05)).build());
        String tests = Files.readString(out.resolve("tests.csv"));
        assertTrue(tests.contains("within_task,one,accuracy,monteclora,lora,0,,,,greater,NA (n = 0),"), tests);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| within_task | one | accuracy | monteclora | lora | 0 | NA | NA | NA | greater | NA (n = 0) | NA |"), md);
        assertTrue(!md.contains("| 0 | 0 | 1.0000 |"), "never W = 0, p = 1 for n = 0");
    }

    @Test
    void tablesCarrySeededBootstrapIntervals() throws Exception {
        Report.Result a = compute(1);
        Report.Result b = compute(1);
                PaperTable acc = a.allTables().stream().filter(t -> t.title().startsWith("Extrinsic robustness (median accuracy) [95% bootstrap CI]"))
                .findFirst().orElseThrow();
        int lora = acc.methods().indexOf("lora");
        // the interval is the documented bootstrap of lora's 4 accuracies (golden-tested against Python)
        BootstrapInterval want = new PercentileBootstrap(2000, 1, 0.95).interval(
                List.<double[][]>of(PercentileBootstrap.column(new double[] {0.70, 0.72, 0.65, 0.60})),
                s -> new Metric("accuracy").robustness(PercentileBootstrap.values(s.get(0), 0)));
        assertEquals(want.lower(), acc.lower()[lora][0], 0.0);
        assertEquals(want.upper(), acc.upper()[lora][0], 0.0);
        assertEquals(String.format(java.util.Locale.ROOT, " [%.3f, %.3f]", want.lower(), want.upper()), acc.intervalSuffix(lora, 0));
        assertEquals(a.intervals(), b.intervals(), "same seed, same intervals");
        // (another seed giving other intervals is checked in BootstrapGoldenTest; 4 points leave few distinct medians)
        assertTrue(a.allTables().stream().anyMatch(t -> t.title().startsWith("Paired difference monteclora - method in median accuracy")));
        BootstrapInterval d = a.intervals().difference("one", "lora", "accuracy");
        assertEquals(0.72 - 0.675, d.estimate(), 1e-12); // median(.75,.74,.70,.58) - median(.70,.72,.65,.60)
        assertTrue(d.lower() <= d.estimate() && d.estimate() <= d.upper());
    }
}
