package dev.robustsweep.reports;

import dev.robustsweep.reports.io.ResultFolderReader;
import dev.robustsweep.reports.io.TidyCsvReader;
import dev.robustsweep.reports.render.CalibrationTable;
import dev.robustsweep.reports.render.CsvWriters;
import dev.robustsweep.reports.render.HtmlReport;
import dev.robustsweep.reports.render.LatexTables;
import dev.robustsweep.reports.render.MarkdownReport;
import dev.robustsweep.reports.render.PaperTable;
import dev.robustsweep.reports.render.TerminalSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Entry point of the reports module: reads a run folder (every result.json under it) or a tidy CSV,
 * computes robustness per task x method (method-spec.md section 5) and the Wilcoxon comparisons,
 * writes robustness.csv, tests.csv, report.md, tables.tex and report.html, and returns the
 * one-screen terminal summary.
 */
public final class Report {
    /** Canonical row order of the paper's tables; other methods follow alphabetically. */
    public static final List<String> METHOD_ORDER = List.of("full_ft", "adapter", "lora", "dora", "adalora", "monteclora",
            "map", "mc_dropout", "checkpoint_ensemble", "temperature", "llla", "laplace_lora");
    /** The reference when none is given and it is present: the paper's method. */
    public static final String DEFAULT_REFERENCE = "monteclora";

    private Report() {
    }

    /**
     * Generates the report.
     *
     * @param input   a run folder or a tidy CSV file
     * @param options what to compute and where to write
     * @return the terminal summary
     * @throws ReportInputException for input a user can fix (names the file)
     */
    public static String generate(Path input, ReportOptions options) {
        Result r = compute(input, options);
        Path out = r.outDir();
        List<String> files = new ArrayList<>(List.of("robustness.csv", "tests.csv", "report.md", "tables.tex"));
        // paper Table 7 (accuracy, NLL, ECE: median and best over the grid) when the results carry ECE
        List<CalibrationTable> calibration = CalibrationTable.of(r.robustness(), r.tasks(), r.methods());
        StringBuilder calibrationMd = new StringBuilder();
        StringBuilder calibrationTex = new StringBuilder();
        for (CalibrationTable t : calibration) {
            calibrationMd.append(t.markdown());
            calibrationTex.append(t.latex());
        }
        try {
            Files.createDirectories(out);
            write(out.resolve("robustness.csv"), CsvWriters.robustness(r.robustness()));
            write(out.resolve("tests.csv"), CsvWriters.tests(r.tests()));
            write(out.resolve("report.md"), MarkdownReport.render(r.source(), r.scores().rows(), r.scores().corruptFiles(),
                    r.allTables(), r.tests(), r.countsNote(), r.scores().warnings()) + calibrationMd);
            write(out.resolve("tables.tex"), LatexTables.render(r.allTables()) + calibrationTex);
            if (options.html()) {
                write(out.resolve("report.html"), HtmlReport.render(r.source(), r.scores(), r.metrics(), r.tasks(),
                        r.methods(), r.allTables(), calibration, r.tests(), r.countsNote()));
                files.add("report.html");
            }
        } catch (IOException e) {
            throw new ReportInputException(out, "cannot write the report: " + e.getMessage(), e);
        }
        return TerminalSummary.render(r.source(), trialCount(r.scores()), r.countsNote(), r.robustnessTables(), r.tests(),
                r.scores().warnings(), out, files);
    }

    /** Everything a report shows, before writing. */
    public record Result(String source, Path outDir, ScoreTable scores, List<String> metrics, List<String> tasks,
                         List<String> methods, String reference, List<RobustnessRow> robustness,
                         List<ComparisonRow> tests, List<PaperTable> robustnessTables, List<PaperTable> allTables,
                         String countsNote, RobustnessIntervals intervals, List<RankComparisons.Analysis> friedman,
                         InferenceOptions inference) {
    }

    /** Reads and computes without writing anything. */
    public static Result compute(Path input, ReportOptions options) {
        if (!Files.exists(input)) {
            throw new ReportInputException(input, "no such file or folder");
        }
        boolean folder = Files.isDirectory(input);
        Path outDir = options.outDir() != null ? options.outDir()
                : folder ? input.resolve("report") : input.toAbsolutePath().getParent().resolve("report");
        ScoreTable scores;
        if (folder) {
            scores = ResultFolderReader.read(input, outDir.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize()) ? null : outDir);
        } else if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            scores = TidyCsvReader.read(input, options.metricsExplicit() ? options.metrics() : List.of());
        } else {
            throw new ReportInputException(input, "expected a run folder or a .csv file");
        }
        List<String> metrics = new ArrayList<>();
        for (String m : options.metrics()) {
            if (scores.metrics().contains(m)) {
                metrics.add(m);
            } else if (options.metricsExplicit()) {
                throw new ReportInputException(input, "metric '" + m + "' is in no result (found: "
                        + String.join(", ", scores.metrics()) + ")");
            }
        }
        if (metrics.isEmpty()) {
            throw new ReportInputException(input, "none of the metrics " + options.metrics() + " is present (found: "
                    + String.join(", ", scores.metrics()) + ")");
        }
        List<String> tasks = scores.tasks();
        List<String> methods = methodOrder(scores.table().stringColumn(ScoreTable.METHOD).asList());
        String reference = options.reference() != null ? options.reference()
                : methods.contains(DEFAULT_REFERENCE) ? DEFAULT_REFERENCE : methods.get(0);
        if (!methods.contains(reference)) {
            throw new ReportInputException(input, "reference method '" + reference + "' is not in the input (found: "
                    + String.join(", ", methods) + ")");
        }
        List<RobustnessRow> robustness = RobustnessAnalysis.compute(scores, metrics, methods);
        List<ComparisonRow> tests = PairedComparisons.run(scores, robustness, reference, methods,
                new ReportOptions(options.outDir(), reference, options.alternative(), metrics, options.zeroMethod(),
                        options.testMethod(), options.continuityCorrection(), options.html(), options.metricsExplicit(),
                        options.inference()));
        List<RankComparisons.Analysis> friedman = RankComparisons.run(scores, robustness, metrics, methods,
                options.inference().alpha());
        tests = new ArrayList<>(tests);
        tests.addAll(RankComparisons.rows(friedman));
        dev.robustsweep.reports.stats.PercentileBootstrap bootstrap = options.inference().bootstrap();
        RobustnessIntervals intervals = RobustnessIntervals.compute(scores, metrics, methods, reference, bootstrap);
        List<PaperTable> robustnessTables = new ArrayList<>();
        List<PaperTable> allTables = new ArrayList<>();
        // intrinsic first, as in the paper's Table 5
        List<String> ordered = new ArrayList<>(metrics);
        ordered.sort((a, b) -> Boolean.compare(!new Metric(a).isIntrinsic(), !new Metric(b).isIntrinsic()));
        TaskBaselines baselines = TaskBaselines.of(scores);
        for (String m : ordered) {
            PaperTable t = PaperTable.of(robustness, m, PaperTable.Kind.ROBUSTNESS, tasks, methods).withBaseline(baselines, m, PaperTable.Kind.ROBUSTNESS);
            robustnessTables.add(t);
            allTables.add(bootstrap == null ? t : withIntervals(t, m, intervals, bootstrap.confidence()));
        }
        if (bootstrap != null) {
            for (String m : ordered) {
                allTables.add(differenceTable(m, tasks, methods, reference, intervals, bootstrap.confidence()));
            }
        }
        for (String m : ordered) {
            allTables.add(PaperTable.of(robustness, m, PaperTable.Kind.BEST, tasks, methods).withBaseline(baselines, m, PaperTable.Kind.BEST));
            allTables.add(PaperTable.of(robustness, m, PaperTable.Kind.SPREAD, tasks, methods));
        }
        String source = input.toString();
        return new Result(source, outDir, scores, metrics, tasks, methods, reference, robustness, tests,
                robustnessTables, allTables, countsNote(scores) + averageNote(scores, methods) + baselineNote(baselines, robustness),
                intervals, friedman, options.inference());
    }

    /** The robustness table with each cell's bootstrap interval. */
    private static PaperTable withIntervals(PaperTable t, String metric, RobustnessIntervals intervals, double confidence) {
        double[][] lo = new double[t.methods().size()][t.columns().size()];
        double[][] hi = new double[t.methods().size()][t.columns().size()];
        for (int m = 0; m < lo.length; m++) {
            for (int c = 0; c < lo[m].length; c++) {
                dev.robustsweep.reports.stats.BootstrapInterval ci = intervals.robustness(t.columns().get(c), t.methods().get(m), metric);
                lo[m][c] = ci.lower();
                hi[m][c] = ci.upper();
            }
        }
        return t.withIntervals(lo, hi, confidence);
    }

    /** Robustness of the reference minus each other method's, per task and averaged, with bootstrap intervals. */
    private static PaperTable differenceTable(String metric, List<String> tasks, List<String> methods, String reference,
                                              RobustnessIntervals intervals, double confidence) {
        List<String> others = methods.stream().filter(m -> !m.equals(reference)).toList();
        List<String> columns = new ArrayList<>(tasks);
        columns.add(RobustnessRow.AVERAGE);
        double[][] v = new double[others.size()][columns.size()];
        double[][] lo = new double[others.size()][columns.size()];
        double[][] hi = new double[others.size()][columns.size()];
        for (int m = 0; m < others.size(); m++) {
            for (int c = 0; c < columns.size(); c++) {
                dev.robustsweep.reports.stats.BootstrapInterval ci = intervals.difference(columns.get(c), others.get(m), metric);
                v[m][c] = ci.estimate();
                lo[m][c] = ci.lower();
                hi[m][c] = ci.upper();
            }
        }
        Metric mt = new Metric(metric);
        String title = "Paired difference " + reference + " - method in " + (mt.isIntrinsic() ? "intrinsic robustness (1 / median NLL)"
                : "median " + metric) + ", grid points paired by config";
        return new PaperTable(title, columns, others, v, mt.robustnessHigherIsBetter())
                .withIntervals(lo, hi, confidence);
    }

    /**
     * ". Not above the no-skill baseline: ..." naming every task x method whose median accuracy does
     * not beat the majority class or whose median NLL does not beat the class prior; "" when all do
     * or no result records a baseline.
     */
    private static String baselineNote(TaskBaselines baselines, List<RobustnessRow> robustness) {
        List<String> notBeaten = baselines.notBeaten(robustness);
        if (baselines.isEmpty()) return "";
        return notBeaten.isEmpty() ? ". Every method's median beats the no-skill baseline (majority class, class prior) on every task"
                : ". NOT above the no-skill baseline (a method that predicts without reading the text): " + String.join("; ", notBeaten);
    }

    /** "; averages are over the K tasks every method ran ..." when some method lacks a task, else "". */
    private static String averageNote(ScoreTable scores, List<String> methods) {
        String note = RobustnessAnalysis.averageNote(scores, methods);
        return note == null ? "" : "; " + note;
    }

    /** "N completed, D diverged, F failed, C corrupt files skipped". */
    /** Distinct trials: a decoder trial contributes one row per evaluation task. */
    static int trialCount(ScoreTable scores) {
        return (int) scores.table().stringColumn(ScoreTable.TRIAL_ID).asList().stream().distinct().count();
    }

    private static String countsNote(ScoreTable scores) {
        int completed = 0;
        int diverged = 0;
        int failed = 0;
        for (String s : scores.table().stringColumn(ScoreTable.STATUS)) {
            switch (s) {
                case "diverged" -> diverged++;
                case "failed" -> failed++;
                default -> completed++;
            }
        }
        int trials = trialCount(scores);
        String rows = trials < scores.rows() ? "task scores (" + scores.rows() + " rows from " + trials + " trials, decoder trials score each evaluation task): " : "";
        return rows + completed + " completed, " + diverged + " diverged (kept with the scores they reached), " + failed
                + " failed (no score, excluded)" + (scores.corruptFiles() > 0
                ? ", " + scores.corruptFiles() + " corrupt result files skipped" : "");
    }

    /** Paper order first (full_ft, lora, dora, adalora, monteclora, then Table 7's baselines), then the rest alphabetically. */
    static List<String> methodOrder(List<String> present) {
        TreeSet<String> distinct = new TreeSet<>(present);
        List<String> out = new ArrayList<>();
        for (String m : METHOD_ORDER) {
            if (distinct.remove(m)) {
                out.add(m);
            }
        }
        out.addAll(distinct);
        return out;
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
