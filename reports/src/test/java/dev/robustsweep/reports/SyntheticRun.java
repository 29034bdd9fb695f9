package dev.robustsweep.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a synthetic run folder of result.json files (docs/schemas.md) for the HTML and scale tests:
 * tasks x methods x learning rate {3e-4, 5e-5, 1e-5} x batch size {8, 32, 64} x seeds, with about 1%
 * diverged and 0.5% failed trials and a 20-point training-loss curve each.
 */
public final class SyntheticRun {
    public static final List<String> TASKS = List.of("mrpc", "cola", "rte", "wic", "boolq");
    public static final List<String> METHODS = List.of("full_ft", "lora", "dora", "adalora", "monteclora");
    public static final double[] LEARNING_RATES = {3e-4, 5e-5, 1e-5};
    public static final int[] BATCH_SIZES = {8, 32, 64};

    private SyntheticRun() {
    }

    /** Writes {@code count} results under {@code run}/runs/synthetic/trials/; returns the number written. */
    public static int write(Path run, int count, long seed) throws IOException {
        Random rng = new Random(seed);
        int written = 0;
        for (int s = 0; written < count; s++) {
            for (String task : TASKS) {
                for (int m = 0; m < METHODS.size(); m++) {
                    for (double lr : LEARNING_RATES) {
                        for (int bs : BATCH_SIZES) {
                            if (written == count) {
                                return written;
                            }
                            writeOne(run, task, METHODS.get(m), m, lr, bs, s, rng);
                            written++;
                        }
                    }
                }
            }
        }
        return written;
    }

    /** Writes the same design as a tidy CSV of {@code count} rows (task, method, learning_rate, batch_size, seed, status, metrics). */
    public static void writeCsv(Path csv, int count, long seed) throws IOException {
        Random rng = new Random(seed);
        StringBuilder sb = new StringBuilder("task,method,learning_rate,batch_size,seed,status,accuracy,nll,f1,mcc\n");
        int written = 0;
        for (int s = 0; written < count; s++) {
            for (String task : TASKS) {
                for (int m = 0; m < METHODS.size() && written < count; m++) {
                    for (double lr : LEARNING_RATES) {
                        for (int bs : BATCH_SIZES) {
                            if (written == count) {
                                break;
                            }
                            double u = rng.nextDouble();
                            String status = u < 0.005 ? "failed" : u < 0.015 ? "diverged" : "completed";
                            double acc = 0.70 + 0.02 * m - (0.06 - 0.01 * m) * Math.abs(Math.log10(lr) + 4.5) + 0.02 * rng.nextGaussian();
                            double nll = Math.max(0.05, 0.75 - 0.04 * m + 0.05 * rng.nextGaussian());
                            sb.append(task).append(',').append(METHODS.get(m)).append(',').append(lr).append(',').append(bs)
                                    .append(',').append(s).append(',').append(status).append(',');
                            if (status.equals("failed")) {
                                sb.append(",,,\n");
                            } else {
                                sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f%n", acc, nll, acc - 0.03, 2 * acc - 1.2));
                            }
                            written++;
                        }
                    }
                }
            }
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, sb);
    }

    private static void writeOne(Path run, String task, String method, int m, double lr, int bs, int seed, Random rng)
            throws IOException {
        String id = String.format(Locale.ROOT, "%s-%s-lr%.0e-bs%d-s%d", task, method, lr, bs, seed);
        double u = rng.nextDouble();
        String status = u < 0.005 ? "failed" : u < 0.015 ? "diverged" : "completed";
        // better methods (higher m) are a little more accurate and less sensitive to the learning rate
        double acc = 0.70 + 0.02 * m - (0.06 - 0.01 * m) * Math.abs(Math.log10(lr) + 4.5) + 0.02 * rng.nextGaussian();
        double nll = Math.max(0.05, 0.75 - 0.04 * m + 0.05 * rng.nextGaussian());
        StringBuilder curve = new StringBuilder("[");
        double loss = 0.69;
        for (int step = 1; step <= 20; step++) {
            loss = Math.max(0.01, loss * (0.97 - 0.002 * m) + 0.01 * rng.nextGaussian());
            curve.append(step == 1 ? "" : ", ").append('[').append(step * 10).append(", ")
                    .append(String.format(Locale.ROOT, "%.4f", status.equals("diverged") && step > 15 ? 5.0 + step : loss)).append(']');
        }
        curve.append(']');
        String metrics = status.equals("failed") ? "null" : String.format(Locale.ROOT,
                "{\"accuracy\": %.5f, \"nll\": %.5f, \"f1\": %.5f, \"mcc\": %.5f, \"eval_examples\": 408, \"epoch\": 3}",
                acc, nll, acc - 0.03, 2 * acc - 1.2);
        Path dir = run.resolve("runs/synthetic/trials").resolve(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), String.format(Locale.ROOT, """
                {"schema": "robustsweep.result/1", "trial_id": "%s", "status": "%s", "reason": %s,
                 "task": "%s", "method": "%s",
                 "grid_point": {"learning_rate": %s, "batch_size": %d, "seed": %d},
                 "metrics": %s,
                 "epochs": [{"epoch": 1, "train_loss": 0.61, "steps": 115, "extra_losses": {"cooperative": 0.25}}],
                 "train_loss_curve": %s,
                 "parameters": {"total": 22713602, "trainable": 74498, "adapter_extra": 0},
                 "timings": {"wall_s": 12.5, "train_s": 11.0}, "tool_version": "0.1.0"}
                """, id, status, status.equals("failed") ? "\"synthetic failure\"" : "null", task, method, lr, bs, seed,
                metrics, curve));
    }
}
