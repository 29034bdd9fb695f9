package dev.robustsweep.reports.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.reports.render.CsvWriters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The report command end to end: exit codes, one-line errors naming the file, the files written. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ReportCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path paperCsv() throws Exception {
        Path csv = tmp.resolve("table5.csv");
        Files.copy(getClass().getResourceAsStream("/paper/table5.csv"), csv);
        return csv;
    }

    @Test
    void csvReportWritesEveryOutputNextToTheCsv() throws Exception {
        Path csv = paperCsv();
        assertEquals(0, run(csv.toString(), "--alternative", "greater", "--metric", "accuracy,nll"), err.toString());
        Path report = tmp.resolve("report");
        for (String f : List.of("robustness.csv", "tests.csv", "report.md", "tables.tex", "report.html")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        List<String> tests = Files.readAllLines(report.resolve("tests.csv"));
        assertEquals("family,task,metric,method_a,method_b,n,statistic,p_value,p_holm,alternative,test_method,effect_size",
                tests.get(0));
        assertEquals(CsvWriters.TESTS_HEADER, tests.get(0));
        // across tasks: 2 metrics x 3 other methods
        assertEquals(6, tests.stream().filter(l -> l.startsWith("across_tasks,all,")).count());
        String tex = Files.readString(report.resolve("tables.tex"));
        assertTrue(tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule"));
        assertTrue(tex.contains("\\textbf{2.230}"), "MonteCLoRA's intrinsic average is the best, bold");
        assertTrue(tex.contains("full\\_ft"));
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("**80.78**"), "best extrinsic average in bold");
        String summary = out.toString();
        assertTrue(summary.lines().count() <= 40, "one screen:\n" + summary);
        assertTrue(summary.contains("2.230*"), summary);
    }

    @Test
    void outOptionAndReferenceChoice() throws Exception {
        Path csv = paperCsv();
        Path dir = tmp.resolve("elsewhere");
        assertEquals(0, run(csv.toString(), "--out", dir.toString(), "--reference", "lora", "--alternative", "two-sided"));
        List<String> tests = Files.readAllLines(dir.resolve("tests.csv"));
        assertTrue(tests.stream().skip(1).filter(l -> !l.startsWith("friedman_")) // Friedman rows are over all methods
                .allMatch(l -> l.split(",")[3].equals("lora") && l.contains(",two-sided,")));
    }

    @Test
    void missingColumnExitsTwoNamingTheFile() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "task,config,accuracy\nmrpc,a,0.8\n");
        assertEquals(2, run(csv.toString()));
        String e = err.toString().trim();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("bad.csv") && e.contains("missing column 'method'"), e);
    }

    @Test
    void nonNumericScoreNamesLineAndColumn() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "task,method,seed,accuracy\nmrpc,lora,1,0.8\nmrpc,lora,2,high\n");
        assertEquals(2, run(csv.toString()));
        assertTrue(err.toString().contains("bad.csv: line 3, column 4 (accuracy): expected a number, found 'high'"), err.toString());
    }

    @Test
    void askedMetricMissingAndUnknownReferenceExitTwo() throws Exception {
        Path csv = paperCsv();
        assertEquals(2, run(csv.toString(), "--metric", "mcc"));
        assertTrue(err.toString().contains("missing metric column 'mcc'"), err.toString());
        assertEquals(2, run(csv.toString(), "--reference", "nosuch"));
        assertTrue(err.toString().contains("reference method 'nosuch'"), err.toString());
        assertEquals(2, run(csv.toString(), "--alternative", "bigger"));
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void emptyOrMissingInputExitsTwo() throws Exception {
        assertEquals(2, run(tmp.resolve("nothing-here").toString()));
        Path empty = Files.createDirectories(tmp.resolve("empty-run"));
        assertEquals(2, run(empty.toString()));
        assertTrue(err.toString().contains("no result.json found"), err.toString());
    }
}
