package dev.robustsweep.reports.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import dev.robustsweep.reports.Report;
import dev.robustsweep.reports.ReportOptions;
import dev.robustsweep.reports.SyntheticRun;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Scale benchmark (issue 5): a report over 100,000 synthetic trial results, from a tidy CSV and from a
 * run folder of 100,000 result.json files. Inputs are generated once into benchmarks/out/ (gitignored).
 * Run from the repository root:
 * <pre>mvn -B -o -pl reports test -Dtest=ReportScaleBenchmark -Dbenchmark=true</pre>
 * Prints wall and process CPU time of 3 runs each (the first includes JIT warm-up), and for the folder
 * the time of merely listing it, the file system's floor. Asserts the CSV report's best run under 3 s.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ReportScaleBenchmark {
    static final int TRIALS = 100_000;
    static final Path OUT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).resolve("benchmarks/out");
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static double timeReports(String label, Path input) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            long c0 = OS.getProcessCpuTime();
            Report.generate(input, ReportOptions.builder().optOutDir(OUT.resolve("report-" + label)).build());
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            System.out.printf("%s run %d: %d results in %.2f s wall, %.2f s CPU%n", label, i + 1, TRIALS, s,
                    (OS.getProcessCpuTime() - c0) / 1e9);
        }
        return best;
    }

    @Test
    void hundredThousandResultsFromCsv() throws Exception {
        Path csv = OUT.resolve("scores-100k.csv");
        if (!Files.exists(csv)) {
            SyntheticRun.writeCsv(csv, TRIALS, 7);
        }
        double best = timeReports("csv", csv);
        assertTrue(best < 3.0, "best CSV run took " + best + " s");
    }

    @Test
    void hundredThousandResultFiles() throws Exception {
        Path run = OUT.resolve("run-100k");
        long present;
        try (Stream<Path> s = Files.exists(run) ? Files.walk(run) : Stream.empty()) {
            present = s.filter(p -> p.getFileName().toString().equals("result.json")).count();
        }
        if (present != TRIALS) {
            SyntheticRun.write(run, TRIALS, 7);
        }
        long t0 = System.nanoTime();
        try (Stream<Path> s = Files.walk(run)) {
            System.out.printf("folder: listing alone (Files.walk, %d entries) took %.2f s%n", s.count(), (System.nanoTime() - t0) / 1e9);
        }
        double best = timeReports("folder", run);
        System.out.printf("folder: best %.2f s (load average %.1f on %d cores)%n", best, OS.getSystemLoadAverage(),
                OS.getAvailableProcessors());
    }
}
