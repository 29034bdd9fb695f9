package dev.robustsweep.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine's two benchmarks (benchmarks/engine/run.sh):
 * <ul>
 *   <li>{@code scale}: read, validate and expand a 10,000-trial grid and write its trial list (target &lt; 2 s);</li>
 *   <li>{@code overhead}: a sweep of 20 short real trials on one worker; engine overhead per trial =
 *       (sweep wall time - sum of the trials' train_s + eval_s) / 20 (target &lt;= 2 s). It counts
 *       everything that is not training or evaluation: engine start and checks, worker JVM start,
 *       model and data loading, bookkeeping.</li>
 * </ul>
 */
public final class EngineBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("robustsweep-bench");
        String mode = args.length > 0 ? args[0] : "all";
        try {
            if (mode.equals("scale") || mode.equals("all")) scale(work);
            if (mode.equals("overhead") || mode.equals("all")) overhead(work);
        } finally {
            try (var s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf(Locale.ROOT, "(load average during the run: %.1f on %d cores)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    }

    /** Seconds to read + validate + expand a 10,000-trial grid and write runs/<sweep>/trials.jsonl. */
    public static double scale(Path work) throws Exception {
        Path model = Fixtures.tinyModel(work.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(work.resolve("data"), 64, 32);
        // 5 methods x 10 learning rates x 5 batch sizes x 40 seeds = 10,000 trials
        Path grid = Fixtures.grid(work, "scale10k", model, data, """
                methods: [full_ft, lora, dora, adalora, monteclora]
                grid:
                  learning_rate: [1e-3, 5e-4, 3e-4, 2e-4, 1e-4, 5e-5, 3e-5, 2e-5, 1e-5, 5e-6]
                  batch_size: [8, 16, 32, 64, 128]
                  seed: [%s]
                settings: {epochs: 3}
                """.formatted(String.join(", ", java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).toList())));
        // warm the JVM once on a copy, as a long-running tool would be; report both
        double cold = scaleOnce(grid, work.resolve("runs-cold"));
        double warm = scaleOnce(grid, work.resolve("runs-warm"));
        System.out.printf(Locale.ROOT, "scale: 10,000-trial grid read + validated + expanded + trial list written: %.2f s (first, cold JVM), %.2f s (second)%n", cold, warm);
        return cold;
    }

    private static double scaleOnce(Path grid, Path runs) throws Exception {
        long t0 = System.nanoTime();
        ValidatedGrid v = GridValidator.check(GridFile.read(grid));
        RunStore.create(runs.resolve(v.grid().name()), v.grid().name(), grid, v.grid().source().bytes(), v.trials(), ExecutionSettings.defaults());
        double s = (System.nanoTime() - t0) / 1e9;
        if (v.trials().size() != 10_000) throw new IllegalStateException("expected 10,000 trials, got " + v.trials().size());
        return s;
    }

    /** Engine overhead per trial over 20 short trials on one worker. */
    public static double overhead(Path work) throws Exception {
        Path model = Fixtures.tinyModel(work.resolve("tiny-o"));
        Path data = Fixtures.mrpcLikeData(work.resolve("data-o"), 64, 32);
        Path grid = Fixtures.grid(work, "overhead20", model, data, """
                methods: [lora, full_ft]
                grid:
                  learning_rate: [1e-3, 5e-4, 1e-4, 5e-5, 1e-5]
                  seed: [1, 2]
                settings: {epochs: 1, max_seq_length: 32, batch_size: 8}
                limits: {max_train_samples: 32, max_eval_samples: 32}
                execution: {workers: 1, threads_per_worker: 2}
                """);
        Path runs = work.resolve("runs-o");
        Path out = work.resolve("overhead.out");
        long t0 = System.nanoTime();
        Process p = EngineProcess.start(out, Map.of(), "run", grid.toString(), "--runs-dir", runs.toString());
        if (!p.waitFor(900, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("sweep failed:\n" + Files.readString(out));
        double wall = (System.nanoTime() - t0) / 1e9;
        double work_s = 0, load = 0;
        int n = 0;
        for (String line : Files.readAllLines(runs.resolve("overhead20/trials.jsonl"))) {
            if (line.isBlank()) continue;
            String id = JSON.readTree(line).get("trial_id").asText();
            JsonNode t = JSON.readTree(runs.resolve("overhead20/trials").resolve(id).resolve("result.json").toFile()).path("timings");
            work_s += t.path("train_s").asDouble() + t.path("eval_s").asDouble();
            load += t.path("load_s").asDouble();
            n++;
        }
        double perTrial = (wall - work_s) / n;
        System.out.printf(Locale.ROOT, "overhead: %d trials, sweep wall %.1f s, sum of train+eval %.1f s, sum of load_s (model+data loading, counted as overhead) %.1f s%n", n, wall, work_s, load);
        System.out.printf(Locale.ROOT, "overhead: engine overhead per trial = (%.1f - %.1f) / %d = %.2f s%n", wall, work_s, n, perTrial);
        return perTrial;
    }
}
