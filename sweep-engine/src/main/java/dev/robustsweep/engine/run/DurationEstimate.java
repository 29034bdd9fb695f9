package dev.robustsweep.engine.run;

import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridResources;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.trial.TrialConfig;
import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.engine.store.RunStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rough duration for {@code run --dry-run}: per trial, a fixed start-up cost plus
 * (training tokens x 6 + evaluation tokens x 2) x encoder parameters / throughput, times a per-method
 * factor; trials are then packed onto the worker slots, longest first. The throughput constants were
 * measured on this project's 2-core development machine (see docs/engine.md). When the run folder
 * already holds finished trials of the same grid, their own wall times calibrate the figure
 * ({@link #calibrate}): the median ratio of measured to estimated seconds scales every trial, so the
 * estimate follows the machine it runs on.
 */
public final class DurationEstimate {
    /** JVM start, libtorch start, model load and data tokenisation per trial, seconds (measured: about 3 s). */
    static final double STARTUP_S = 3.0;
    /** Sustained FLOP/s of one CPU thread (measured on minilm-l6 LoRA trials: 15-17 GFLOP/s, docs/engine.md). */
    static final double CPU_FLOPS_PER_THREAD = 15e9;
    /** Sustained FLOP/s of one GPU trial (bf16 off; a conservative A100/H100-class figure). */
    static final double GPU_FLOPS = 2e13;
    /** Mean tokens per example when max_seq_length does not bind (GLUE sentence pairs). */
    static final int TYPICAL_TOKENS = 64;
    /**
     * Cost relative to LoRA: full fine-tuning measured 3.5x (every weight's gradient and AdamW state,
     * the 30522-row embedding included); MonteCLoRA about 2x (the paper's Table 10); DoRA and AdaLoRA
     * assumed 1.2x; the bottleneck adapter (256 wide, never merged) assumed 1.3x.
     */
    static final Map<String, Double> METHOD_FACTOR = Map.of("full_ft", 3.5, "lora", 1.0, "dora", 1.2, "adalora", 1.2, "monteclora", 2.0, "adapter", 1.3);

    private DurationEstimate() {}

    /** Estimated seconds of one trial on one slot. */
    public static double trialSeconds(TrialConfig t, GridResources res, ExecutionSettings exec) {
        EncoderConfig c = res.models().get(t.model);
        GridResources.TaskSize size = res.data().get(GridResources.dataKey(t.task.name, t.dataDir));
        if (c == null || size == null) return STARTUP_S;
        double params = (double) c.numHiddenLayers * (4.0 * c.hiddenSize * c.hiddenSize + 2.0 * c.hiddenSize * c.intermediateSize);
        int train = t.maxTrainSamples == null ? size.train() : Math.min(size.train(), t.maxTrainSamples);
        int eval = t.maxEvalSamples == null ? size.dev() : Math.min(size.dev(), t.maxEvalSamples);
        double tokens = Math.min(t.maxSeqLength, TYPICAL_TOKENS);
        // evaluation measured at about half a training step's cost per example (padding to the batch's longest)
        double flops = t.epochs * (6.0 * train * METHOD_FACTOR.getOrDefault(t.method, 1.0) + 3.0 * eval) * tokens * params;
        double throughput = exec.gpu() ? GPU_FLOPS : CPU_FLOPS_PER_THREAD * Math.max(1, exec.effectiveThreads());
        return STARTUP_S + flops / throughput;
    }

    /** Wall time of the whole grid: longest trials first, each onto the slot that frees first. */
    public static double sweepSeconds(ValidatedGrid v, ExecutionSettings exec) {
        return sweepSeconds(v, exec, 1.0, Set.of());
    }

    /**
     * Wall time of the grid's trials not in {@code done}, each trial's estimate times {@code factor}
     * (a {@link Calibration}'s), packed longest first onto the slot that frees first.
     */
    public static double sweepSeconds(ValidatedGrid v, ExecutionSettings exec, double factor, Set<String> done) {
        List<TrialConfig> trials = v.trials().stream().filter(t -> !done.contains(t.trialId)).toList();
        double[] each = trials.stream().mapToDouble(t -> factor * trialSeconds(t, v.resources(), exec)).sorted().toArray();
        double[] slots = new double[Math.max(1, exec.slots())];
        for (int i = each.length - 1; i >= 0; i--) {
            int min = 0;
            for (int s = 1; s < slots.length; s++) if (slots[s] < slots[min]) min = s;
            slots[min] += each[i];
        }
        return Arrays.stream(slots).max().orElse(0);
    }

    /**
     * What the run folder's finished trials say about this machine.
     *
     * @param done   ids of the grid's trials that already have a valid result
     * @param timed  how many of them recorded a wall time (timings.wall_s)
     * @param factor median over those of measured / estimated seconds (1 when none)
     */
    public record Calibration(Set<String> done, int timed, double factor) {
        static final Calibration NONE = new Calibration(Set.of(), 0, 1.0);
    }

    /**
     * Calibrates on the valid results in {@code runFolder} (a run folder of this grid: trial ids are
     * content-derived, so equal ids mean equal trials). No folder, or one that cannot be read, gives
     * {@link Calibration#NONE}: a dry run never fails on a damaged folder, and changes nothing in it.
     */
    public static Calibration calibrate(Path runFolder, ValidatedGrid v, ExecutionSettings exec) {
        if (!RunStore.exists(runFolder)) return Calibration.NONE;
        RunStore store;
        try {
            store = RunStore.open(runFolder);
        } catch (RuntimeException e) {
            return Calibration.NONE;
        }
        java.util.Set<String> done = new java.util.HashSet<>();
        double[] ratios = new double[v.trials().size()];
        int n = 0;
        for (TrialConfig t : v.trials()) {
            JsonNode r;
            try {
                r = store.readResult(t.trialId);
            } catch (RuntimeException e) {
                continue;
            }
            if (r == null || "failed".equals(r.path("status").asText())) continue;
            done.add(t.trialId);
            double wall = r.path("timings").path("wall_s").asDouble(0);
            if (wall > 0) ratios[n++] = wall / trialSeconds(t, v.resources(), exec);
        }
        if (done.isEmpty()) return Calibration.NONE;
        double factor = 1.0;
        if (n > 0) {
            double[] sorted = Arrays.copyOf(ratios, n);
            Arrays.sort(sorted);
            factor = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
        return new Calibration(Set.copyOf(done), n, factor);
    }
}
