package dev.robustsweep.reports.bench;

import dev.robustsweep.reports.Report;
import dev.robustsweep.reports.ReportOptions;
import dev.robustsweep.reports.io.ResultFolderReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "benchmark", matches = "phases")
class PhaseTiming {
    @Test
    void phases() throws Exception {
        Path run = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).resolve("benchmarks/out/run-100k");
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            long n;
            try (Stream<Path> s = Files.walk(run)) {
                n = s.filter(p -> p.getFileName().toString().equals("result.json")).count();
            }
            long t1 = System.nanoTime();
            var table = ResultFolderReader.read(run, null);
            long t2 = System.nanoTime();
            Report.Result r = Report.compute(run, ReportOptions.defaults());
            long t3 = System.nanoTime();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long c0 = os.getProcessCpuTime();
            Report.generate(run, ReportOptions.builder().optOutDir(run.resolve("report")).build());
            long t4 = System.nanoTime();
            long c1 = os.getProcessCpuTime();
            System.out.printf("walk %.2f s (%d), read %.2f s, compute(incl read) %.2f s, generate %.2f s (cpu %.2f s)%n", (t1 - t0) / 1e9, n, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (c1 - c0) / 1e9);
        }
    }
}
