package dev.robustsweep.engine.run;

import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridResources;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.model.decoder.DecoderConfig;
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
    /**
     * Effective CPU throughput per thread in the nominal FLOPs counted here (6 x parameters per training
     * token, 3 x per evaluation token). Quiet 2-core machines measured 2x apart in speed (matmul 175 vs
     * 342 GFLOP/s on 2 threads); 90e9 keeps both measured grids within 1.5x: grids/quickstart.yaml 3m43s
     * estimated vs 2m35s measured on the fast one, grids/ministudy-mrpc.yaml 30m57s vs about 45 min on the
     * slow one (docs/engine.md). Run-folder timings calibrate it per machine ({@link #calibrate}).
     */
    static final double CPU_FLOPS_PER_THREAD = 90e9;
    /** Sustained FLOP/s of one GPU trial (bf16 off; a conservative A100/H100-class figure). */
    static final double GPU_FLOPS = 2e13;
    /** Mean tokens per example when max_seq_length does not bind (GLUE sentence pairs). */
    static final int TYPICAL_TOKENS = 64;
    /**
     * Cost relative to LoRA, from `benchmarks/run.sh training` (step time per method): full fine-tuning
     * 1.35 (LoRA step / full_ft step measured 0.73-0.75); DoRA, AdaLoRA, MonteCLoRA and the bottleneck
     * adapter within 10% of LoRA.
     */
    static final Map<String, Double> METHOD_FACTOR = Map.of("full_ft", 1.35, "lora", 1.0, "dora", 1.1, "adalora", 1.1, "monteclora", 1.1, "adapter", 1.1);

    private DurationEstimate() {}

    /**
     * Fixed costs of a decoder trial on CPU, measured with grids/quickstart-decoder.yaml on this project's
     * 2-core machine (tiny-llama, both dominated by per-operation overhead, not FLOPs): first about 1 s per
     * training micro-batch of 4 x 470 tokens and 0.08 s per generated token of an evaluation batch (shared
     * machine); re-measured in issue 12 (trainer of commit a08b296, the sweep alone under the CPU lock:
     * median 0.33 s and 0.032 s, the sweep 2m04s against an estimate of 3m58s); set between the two so
     * that either is within 1.5x.
     */
    static final double MICRO_BATCH_S = 0.5;
    static final double GENERATION_STEP_S = 0.05;
    /** Characters per token when a tokenizer is not byte-level (LLaMA-family tokenizers on English: about 4). */
    static final double CHARS_PER_TOKEN = 4.0;
    /** Characters the llm-adapters template adds around a record (its fixed text and indentation). */
    static final int TEMPLATE_CHARS = 220;

    /** Estimated seconds of one trial on one slot. */
    public static double trialSeconds(TrialConfig t, GridResources res, ExecutionSettings exec) {
        DecoderConfig d = res.decoders().get(t.model);
        if (d != null) return decoderSeconds(t, d, res, exec);
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

    /**
     * A decoder trial: training 6 x params x tokens per example per epoch (times the method factor),
     * then once, per evaluation record, a scoring pass (2 x params x tokens) and generation (the prompt,
     * then max_new_tokens single-token steps reading the KV cache, times num_beams). Parameters include
     * the LM head (vocab x hidden); tokens from the data's mean characters (one per byte for a
     * byte-level vocabulary under 512 ids, else one per 4 characters), capped by max_seq_length.
     */
    static double decoderSeconds(TrialConfig t, DecoderConfig d, GridResources res, ExecutionSettings exec) {
        GridResources.TaskSize size = res.data().get(GridResources.dataKey(t.task.name, t.dataDir));
        if (size == null) return STARTUP_S;
        double h = d.hiddenSize;
        double kv = (double) d.kvHeads() * d.headDimension();
        double params = d.numHiddenLayers * (2 * h * d.numAttentionHeads * d.headDimension() + 2 * h * kv + 3 * h * d.intermediateSize)
                + (double) d.vocabSize * h;
        double perToken = d.vocabSize < 512 ? 1.0 : CHARS_PER_TOKEN;
        double trainTokens = Math.min(t.maxSeqLength, (size.trainChars() + TEMPLATE_CHARS) / perToken);
        double evalTokens = (size.evalChars() + TEMPLATE_CHARS) / perToken;
        int train = t.maxTrainSamples == null ? size.train() : Math.min(size.train(), t.maxTrainSamples);
        int evalTasks = t.task.evalTasks != null ? t.task.evalTasks.size() : "commonsense".equals(t.task.name) ? 6 : 1;
        int eval = t.maxEvalSamples == null ? size.dev() : Math.min(size.dev(), t.maxEvalSamples * evalTasks);
        double trainFlops = t.epochs * 6.0 * train * trainTokens * params * METHOD_FACTOR.getOrDefault(t.method, 1.0);
        double evalFlops = eval * 2.0 * params * (2 * evalTokens + t.decoder.maxNewTokens * t.decoder.numBeams);
        double throughput = exec.gpu() ? GPU_FLOPS : CPU_FLOPS_PER_THREAD * Math.max(1, exec.effectiveThreads());
        double fixed = 0;
        if (!exec.gpu()) {
            int micro = t.decoder.microBatch(t.batchSize);
            double evalBatches = evalTasks * Math.ceil((double) eval / evalTasks / Math.max(1, t.evalBatchSize));
            fixed = t.epochs * Math.ceil((double) train / micro) * MICRO_BATCH_S
                    + evalBatches * (2 + t.decoder.maxNewTokens * t.decoder.numBeams) * GENERATION_STEP_S;
        }
        return STARTUP_S + fixed + (trainFlops + evalFlops) / throughput;
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
