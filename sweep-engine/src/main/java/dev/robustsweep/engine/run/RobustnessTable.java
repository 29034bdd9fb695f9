package dev.robustsweep.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.engine.store.TrialState;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's own end-of-sweep table (method-spec.md section 5), used until the reports module's
 * full report is available: per task and method, over the grid points with a result (completed or
 * diverged: a diverged trial counts with the scores it reached): extrinsic robustness = median
 * accuracy, intrinsic robustness = 1 / median NLL, spread = max - min accuracy, best accuracy.
 */
public final class RobustnessTable {
    /** One row: task, method variant, trials with a result, failed trials, and the statistics (NaN when no scores). */
    public record Row(String task, String method, int results, int diverged, int failed, double medianAccuracy,
                      double intrinsic, double spread, double best) {}

    private RobustnessTable() {}

    public static List<Row> rows(List<TrialConfig> trials, Map<String, TrialState> states) {
        Map<String, List<JsonNode>> results = new LinkedHashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (TrialConfig t : trials) {
            String key = t.task.name + "\t" + t.displayMethod();
            results.computeIfAbsent(key, k -> new ArrayList<>());
            int[] c = counts.computeIfAbsent(key, k -> new int[2]);
            TrialState s = states.get(t.trialId);
            if (s == null) continue;
            switch (s.status()) {
                case COMPLETED, DIVERGED -> {
                    results.get(key).add(s.result());
                    if (s.status() == dev.robustsweep.engine.store.TrialStatus.DIVERGED) c[0]++;
                }
                case FAILED -> c[1]++;
                default -> { }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> e : results.entrySet()) {
            String[] tm = e.getKey().split("\t");
            List<Double> acc = new ArrayList<>();
            List<Double> nll = new ArrayList<>();
            for (JsonNode r : e.getValue()) {
                JsonNode m = r.path("metrics");
                if (m.hasNonNull("accuracy")) acc.add(m.get("accuracy").asDouble());
                if (m.hasNonNull("nll")) nll.add(m.get("nll").asDouble());
            }
            int[] c = counts.get(e.getKey());
            double medNll = median(nll);
            rows.add(new Row(tm[0], tm[1], e.getValue().size(), c[0], c[1], median(acc), 1 / medNll,
                    acc.isEmpty() ? Double.NaN : max(acc) - min(acc), acc.isEmpty() ? Double.NaN : max(acc)));
        }
        return rows;
    }

    /** The table as Markdown (also what is printed at the end of a sweep). */
    public static String markdown(String sweep, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Robustness, sweep ").append(sweep).append(" (extrinsic = median accuracy, intrinsic = 1 / median NLL, spread = max - min accuracy)\n\n");
        sb.append("| task | method | results | diverged | failed | extrinsic | intrinsic | spread | best acc |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %s | %s |%n", r.task(), r.method(), r.results(), r.diverged(), r.failed(),
                    fmt(r.medianAccuracy()), fmt(r.intrinsic()), fmt(r.spread()), fmt(r.best())));
        }
        return sb.toString();
    }

    /** Writes report/robustness.md and robustness.tsv; returns the Markdown. */
    public static String write(RunStore store, Map<String, TrialState> states) throws IOException {
        List<Row> rows = rows(store.trials(), states);
        String md = markdown(store.name(), rows);
        Files.createDirectories(store.reportDir());
        Files.writeString(store.reportDir().resolve("robustness.md"), md, StandardCharsets.UTF_8);
        StringBuilder tsv = new StringBuilder("task\tmethod\tresults\tdiverged\tfailed\textrinsic_median_accuracy\tintrinsic_inverse_median_nll\tspread_accuracy\tbest_accuracy\n");
        for (Row r : rows) {
            tsv.append(String.join("\t", r.task(), r.method(), "" + r.results(), "" + r.diverged(), "" + r.failed(),
                    "" + r.medianAccuracy(), "" + r.intrinsic(), "" + r.spread(), "" + r.best())).append('\n');
        }
        Files.writeString(store.reportDir().resolve("robustness.tsv"), tsv, StandardCharsets.UTF_8);
        return md;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
