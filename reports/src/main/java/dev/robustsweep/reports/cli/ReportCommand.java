package dev.robustsweep.reports.cli;

import dev.robustsweep.reports.Report;
import dev.robustsweep.reports.ReportInputException;
import dev.robustsweep.reports.ReportOptions;
import dev.robustsweep.reports.stats.Alternative;
import dev.robustsweep.reports.stats.WilcoxonMethod;
import dev.robustsweep.reports.stats.ZeroMethod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report <run-folder-or-csv> [--out DIR] [--reference METHOD] [--alternative greater|less|two-sided]
 * [--metric NAME...]}: robustness tables, Wilcoxon tests and plots. Exit 0 on success, 2 with a one-line
 * error naming the file for bad input.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Robustness statistics, Wilcoxon signed-rank tests, tables and plots of a sweep.",
                "Writes robustness.csv, tests.csv, report.md, tables.tex and report.html."})
public class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_FOLDER_OR_CSV",
            description = "A run folder (every result.json under it) or a tidy CSV (task, method, config or hyperparameter columns, seed, metrics).")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: <run>/report/, for a CSV <csv dir>/report/).")
    Path out;

    @Option(names = "--reference", paramLabel = "METHOD", description = "Method compared against every other (default: monteclora if present, else the first).")
    String reference;

    @Option(names = "--alternative", paramLabel = "ALT", defaultValue = "greater",
            description = "greater | less | two-sided; greater = the reference is better (default: ${DEFAULT-VALUE}).")
    String alternative;

    @Option(names = "--metric", paramLabel = "NAME", split = ",",
            description = "Metrics to report, repeatable or comma-separated (default: accuracy, nll). Also f1, mcc.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--zero-method", paramLabel = "Z", defaultValue = "wilcox",
            description = "Wilcoxon zero differences: wilcox | pratt | zsplit (default: ${DEFAULT-VALUE}).")
    String zeroMethod;

    @Option(names = "--test-method", paramLabel = "M", defaultValue = "auto",
            description = "Wilcoxon p-value: auto | exact | exact-conditional | asymptotic (default: ${DEFAULT-VALUE}, as scipy).")
    String testMethod;

    @Option(names = "--continuity-correction", description = "Continuity correction of the normal approximation.")
    boolean correction;

    @Option(names = "--no-html", description = "Skip report.html.")
    boolean noHtml;

    @Option(names = "--bootstrap", paramLabel = "B", defaultValue = "10000",
            description = "Bootstrap resamples of the confidence intervals; 0 = none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "20240531",
            description = "Seed of the bootstrap (same seed, same intervals; default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.05",
            description = "Level: (1 - A) intervals, Nemenyi CD at A, tests that cannot reach p < A reported as no test (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Override
    public Integer call() {
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        PrintWriter outWriter = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        ReportOptions options;
        try {
            options = ReportOptions.builder().optOutDir(out).optReference(reference)
                    .optAlternative(Alternative.parse(alternative)).optMetrics(metrics)
                    .optZeroMethod(ZeroMethod.parse(zeroMethod)).optTestMethod(WilcoxonMethod.parse(testMethod))
                    .optContinuityCorrection(correction).optHtml(!noHtml)
                    .optInference(new dev.robustsweep.reports.InferenceOptions(bootstrap, seed, alpha)).build();
        } catch (IllegalArgumentException e) {
            err.println("report: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            String summary = Report.generate(input, options);
            outWriter.print(summary);
            outWriter.flush(); // the summary names the first skipped file; report.md lists all of them
            outWriter.flush();
            return 0;
        } catch (ReportInputException e) {
            err.println("report: " + e.getMessage().replace('\n', ' '));
            err.flush();
            return 2;
        }
    }

    /** Standalone entry point (the sweep engine registers the command as a subcommand instead). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ReportCommand()).execute(args));
    }
}
