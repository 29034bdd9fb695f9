package dev.robustsweep.trainers.model.decoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Pre-start estimate of a decoder trial's peak device memory (float32 weights and activations,
 * AdamW), so a trial that cannot fit is refused before it starts instead of dying out of memory
 * hours in. The arithmetic (docs/decoders.md, "Memory"):
 * <ul>
 *   <li>weights: 4 bytes x base parameters (+ adapter parameters);</li>
 *   <li>gradients 4 bytes and AdamW moments 8 bytes per trainable parameter;</li>
 *   <li>activations kept for the backward pass, per token and layer, in float32 elements:
 *       8 h (two RMSNorms: input, normalised, output; q; attention context) + 2 kv_heads d (k, v)
 *       + heads x seq (attention probabilities) + 5 ffn (gate, sigmoid, silu, up, product),
 *       plus 2 x in_features per adapted linear when adapter dropout is on (mask and dropped input);</li>
 *   <li>activation checkpointing keeps only each layer's input (h per token and layer) plus one
 *       layer's activations while it is recomputed;</li>
 *   <li>logits, their log-softmax and gradient: 3 x vocab per token;</li>
 *   <li>transient gradients of one layer's activations (x 1 layer) and a fixed 1.5 GB runtime reserve
 *       (CUDA context, allocator), times 1.10 for fragmentation;</li>
 *   <li>bf16 (autocast, float32 master weights: {@link dev.robustsweep.trainers.model.Bf16Autocast}) adds,
 *       never subtracts: every multiply saves bf16 copies of its operands for the backward pass, so
 *       2 bytes x the linear weights of each layer kept (all layers, or one with checkpointing) and of
 *       the head, plus, per token and kept layer, 2 bytes x (the input widths of the layer's linears and
 *       of the adapted linears' adapter branch + q + 2 kv_heads d + heads x seq for the attention
 *       multiplies), plus the head's bf16 logits (2 x vocab per token).</li>
 * </ul>
 */
public record MemoryEstimate(long weightBytes, long gradientBytes, long optimizerBytes, long activationBytes,
                             long logitBytes, long autocastBytes, long reserveBytes, long totalBytes) {
    static final long RESERVE = 1_500_000_000L;
    static final double FRAGMENTATION = 1.10;

    /** What a trial trains and how: trainable parameter count, batch shape, adapted modules' input widths. */
    public record Plan(long trainableParameters, long adapterParameters, int microBatch, int seqLen,
                       boolean checkpointing, List<Integer> adaptedInputWidthsPerLayer, boolean adapterDropout,
                       boolean bf16) {
        /** A float32 plan (bf16 off). */
        public Plan(long trainableParameters, long adapterParameters, int microBatch, int seqLen,
                    boolean checkpointing, List<Integer> adaptedInputWidthsPerLayer, boolean adapterDropout) {
            this(trainableParameters, adapterParameters, microBatch, seqLen, checkpointing, adaptedInputWidthsPerLayer,
                    adapterDropout, false);
        }
    }

    public static MemoryEstimate of(DecoderConfig c, Plan p) {
        long weights = 4 * (baseParameters(c) + p.adapterParameters());
        long grads = 4 * p.trainableParameters();
        long adam = 8 * p.trainableParameters();
        long tokens = (long) p.microBatch() * p.seqLen();
        long perLayerPerToken = layerActivationElements(c, p.seqLen());
        if (p.adapterDropout()) for (int w : p.adaptedInputWidthsPerLayer()) perLayerPerToken += 2L * w;
        long oneLayer = 4 * perLayerPerToken * tokens;
        long activations = p.checkpointing()
                ? 4L * c.hiddenSize * tokens * c.numHiddenLayers + oneLayer
                : oneLayer * c.numHiddenLayers;
        activations += oneLayer; // gradients of one layer's activations in flight during backward
        long logits = 4L * 3 * c.vocabSize * tokens;
        long autocast = p.bf16() ? autocastBytes(c, p, tokens) : 0;
        long subtotal = weights + grads + adam + activations + logits + autocast;
        long total = (long) (subtotal * FRAGMENTATION) + RESERVE;
        return new MemoryEstimate(weights, grads, adam, activations, logits, autocast, RESERVE, total);
    }

    /** The bf16 copies autocast saves for the backward pass (see the class comment). */
    static long autocastBytes(DecoderConfig c, Plan p, long tokens) {
        long h = c.hiddenSize;
        long qd = (long) c.numAttentionHeads * c.headDimension();
        long kvd = (long) c.kvHeads() * c.headDimension();
        long f = c.intermediateSize;
        long keptLayers = p.checkpointing() ? 1 : c.numHiddenLayers;
        long layerWeights = h * qd + 2 * h * kvd + qd * h + 3 * h * f;
        long weightCopies = 2 * (layerWeights * keptLayers + (long) c.vocabSize * h);
        // inputs of q, k, v, o, gate, up, down; of each adapted linear's adapter branch; the attention multiplies' operands
        long perToken = 3 * h + qd + 2 * h + f + qd + 2 * kvd + (long) c.numAttentionHeads * p.seqLen();
        for (int w : p.adaptedInputWidthsPerLayer()) perToken += w;
        return weightCopies + 2 * perToken * tokens * keptLayers + 2L * c.vocabSize * tokens;
    }

    /** Float32 elements one decoder layer keeps per token for the backward pass (see the class comment). */
    static long layerActivationElements(DecoderConfig c, int seqLen) {
        long h = c.hiddenSize;
        long kvd = (long) c.kvHeads() * c.headDimension();
        return 8 * h + 2 * kvd + (long) c.numAttentionHeads * seqLen + 5L * c.intermediateSize;
    }

    /** Embeddings, layers (attention, MLP, two norms, biases), final norm, untied head. */
    public static long baseParameters(DecoderConfig c) {
        long h = c.hiddenSize;
        long qd = (long) c.numAttentionHeads * c.headDimension();
        long kvd = (long) c.kvHeads() * c.headDimension();
        long f = c.intermediateSize;
        long layer = h * qd + 2 * h * kvd + qd * h + 3 * h * f + 2 * h;
        if (c.qkvBias()) layer += qd + 2 * kvd;
        if (c.outputBias()) layer += h;
        if (c.gatedMlpBias()) layer += 2 * f + h;
        long embed = (long) c.vocabSize * h;
        return embed + (c.tieWordEmbeddings ? 0 : embed) + c.numHiddenLayers * layer + h;
    }

    /** LoRA's A and B over the named modules of every layer: r x (in + out) each. */
    public static long loraParameters(DecoderConfig c, List<String> modules, int r) {
        long h = c.hiddenSize;
        long qd = (long) c.numAttentionHeads * c.headDimension();
        long kvd = (long) c.kvHeads() * c.headDimension();
        long f = c.intermediateSize;
        long perLayer = 0;
        for (String m : modules) {
            perLayer += r * switch (m) {
                case "q_proj" -> h + qd;
                case "k_proj", "v_proj" -> h + kvd;
                case "o_proj" -> qd + h;
                case "gate_proj", "up_proj" -> h + f;
                case "down_proj" -> f + h;
                default -> throw new IllegalArgumentException("target module '" + m + "' is not a decoder linear");
            };
        }
        return perLayer * c.numHiddenLayers;
    }

    /** Input width of each named module (for the dropout term). */
    public static List<Integer> inputWidths(DecoderConfig c, List<String> modules) {
        int qd = c.numAttentionHeads * c.headDimension();
        return modules.stream().map(m -> switch (m) {
            case "down_proj" -> c.intermediateSize;
            case "o_proj" -> qd;
            default -> c.hiddenSize;
        }).toList();
    }

    /**
     * Null when the estimate fits {@code deviceBytes}; else the refusal: the estimate, its parts, the
     * device memory, and what to change.
     */
    public String refusal(long deviceBytes, String device) {
        if (totalBytes <= deviceBytes) return null;
        return String.format(Locale.ROOT, "estimated peak memory %s exceeds %s's %s (weights %s, gradients %s, AdamW %s,"
                        + " activations %s, logits %s, bf16 copies %s, reserve %s, x%.2f fragmentation): turn on activation checkpointing,"
                        + " lower the micro-batch size or max sequence length, or use a device with more memory",
                gb(totalBytes), device, gb(deviceBytes), gb(weightBytes), gb(gradientBytes), gb(optimizerBytes),
                gb(activationBytes), gb(logitBytes), gb(autocastBytes), gb(reserveBytes), FRAGMENTATION);
    }

    /** Throws {@link IllegalStateException} with {@link #refusal} when the estimate does not fit. */
    public void requireFits(long deviceBytes, String device) {
        String why = refusal(deviceBytes, device);
        if (why != null) throw new IllegalStateException(why);
    }

    /** Memory of a device: a GPU's total memory (DJL's CUDA query), or this machine's available memory for the CPU. */
    public static long deviceMemoryBytes(ai.djl.Device device) {
        if (device.isGpu()) return ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getMax();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the JVM's view
        }
        return Runtime.getRuntime().maxMemory();
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
