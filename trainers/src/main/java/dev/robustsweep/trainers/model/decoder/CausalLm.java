package dev.robustsweep.trainers.model.decoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.monteclora.MonteCLoraAdapter;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A LLaMA-family causal language model (LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM):
 * token embeddings, N pre-norm decoder layers, a final RMSNorm and the LM head (tied to the
 * embeddings when tie_word_embeddings). Left padding is the convention: position ids come from the
 * attention mask as Hugging Face's generate computes them (cumsum(mask) - 1, pads at 1), so a
 * left-padded row gives the same logits on its real tokens as the row alone.
 *
 * <p>The API the trainers use: {@link #forward(NDArray, NDArray, ForwardContext)} for logits,
 * {@link TokenNll} for the loss, {@link Generator} for generation, {@link #targetLinears(List)} for
 * adapters (Hugging Face module names q_proj ... down_proj).
 */
public final class CausalLm implements AdaptableModel {
    private final DecoderConfig config;
    private final Parameter embedTokens;
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final Linear lmHead;
    private final RotaryEmbedding rotary;
    private boolean checkpointing;
    private long checkpointSteps;

    public CausalLm(DecoderConfig config, Parameter embedTokens, List<DecoderLayer> layers, RmsNorm norm, Linear lmHead) {
        this.config = config;
        this.embedTokens = embedTokens;
        this.layers = layers;
        this.norm = norm;
        this.lmHead = lmHead;
        this.rotary = new RotaryEmbedding(config);
    }

    /**
     * Logits [batch, seq, vocab] for token ids [batch, seq] (int64) and a 1/0 attention mask [batch, seq]
     * (left padding; pad positions' logits are meaningless).
     */
    public NDArray forward(NDArray inputIds, NDArray attentionMask, ForwardContext ctx) {
        return logits(hiddenStates(inputIds, attentionMask, positionIds(attentionMask), null, ctx), ctx);
    }

    /** LM head: hidden [..., hidden] -> logits [..., vocab]. */
    public NDArray logits(NDArray hidden, ForwardContext ctx) {
        return lmHead.forward(hidden, ctx);
    }

    /**
     * Last hidden state (after the final norm) [batch, seq, hidden].
     *
     * @param inputIds      [batch, seq] the new tokens
     * @param attentionMask [batch, past + seq]: 1 for real tokens, 0 for pads, cached tokens first
     * @param positionIds   [batch, seq] rotary positions of the new tokens
     * @param cache         cached keys/values of the past tokens (appended to), or null
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, NDArray positionIds, KvCache cache, ForwardContext ctx) {
        NDArray h = embed(inputIds);
        long past = cache == null ? 0 : cache.length();
        NDArray mask = additiveMask(attentionMask, inputIds.getShape().get(1), past, config.window(), h.getManager())
                .toDevice(h.getDevice(), false);
        NDList cosSin = rotary.cosSin(positionIds);
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, cosSin, mask, cache, i, ctx);
        }
        return norm.forward(h);
    }

    /**
     * One training step's forward and backward passes: the loss of the logits, backpropagated into
     * every trainable parameter (and adapter) through {@code collector}; returns the loss. With
     * activation checkpointing on, only each layer's input is kept from the forward pass (run without
     * autograd) and each layer is run again with autograd during the backward pass, from the last
     * layer down, feeding it the gradient of its output: the same gradients, with activation memory
     * of one layer instead of all. The engine's generator is reseeded identically before a layer's
     * two runs, so dropout and engine-drawn noise repeat; randomness drawn by Java code inside a layer
     * (MonteCLoRA's Bartlett factors) is drawn again by the second run.
     */
    public NDArray trainingStep(NDArray inputIds, NDArray attentionMask, Function<NDArray, NDArray> lossOfLogits,
                                GradientCollector collector, ForwardContext ctx) {
        if (checkpointing) requireCheckpointable(); // adapters may have been installed after setCheckpointing
        if (!checkpointing) {
            NDArray loss = lossOfLogits.apply(forward(inputIds, attentionMask, ctx));
            collector.backward(loss);
            return loss;
        }
        Engine engine = inputIds.getManager().getEngine();
        long stepSeed = checkpointSteps++;
        NDArray positions = positionIds(attentionMask);
        NDList cosSin = rotary.cosSin(positions);
        NDArray mask = additiveMask(attentionMask, inputIds.getShape().get(1), 0, config.window(), inputIds.getManager())
                .toDevice(inputIds.getDevice(), false);
        // forward without autograd, keeping each layer's input
        List<NDArray> inputs = new ArrayList<>();
        JniUtils.setGradMode(false);
        try {
            NDArray h = embed(inputIds);
            for (int i = 0; i < layers.size(); i++) {
                inputs.add(h);
                engine.setRandomSeed(layerSeed(stepSeed, i));
                h = layers.get(i).forward(h, cosSin, mask, null, i, ctx);
            }
            inputs.add(h);
        } finally {
            JniUtils.setGradMode(true);
        }
        // head and loss with autograd from the last hidden state
        NDArray last = inputs.get(layers.size());
        last.setRequiresGradient(true);
        NDArray loss = lossOfLogits.apply(logits(norm.forward(last), ctx));
        collector.backward(loss);
        NDArray upstream = last.getGradient().duplicate();
        // each layer again, last to first: backward of sum(layer(x) * dL/dlayer(x)) gives dL/dx and the parameters' share
        for (int i = layers.size() - 1; i >= 0; i--) {
            NDArray x = inputs.get(i);
            x.setRequiresGradient(true);
            engine.setRandomSeed(layerSeed(stepSeed, i));
            NDArray y = layers.get(i).forward(x, cosSin, mask, null, i, ctx);
            collector.backward(y.mul(upstream).sum());
            upstream = x.getGradient().duplicate();
        }
        if (embedTokens.trainable()) collector.backward(embed(inputIds).mul(upstream).sum());
        return loss;
    }

    /**
     * Whether activation checkpointing gives a method exact gradients: methods whose loss is the LM
     * loss alone (full_ft, lora, dora, adapter). MonteCLoRA's KL terms are computed from mixture
     * weights sampled inside the layers' forward pass, which checkpointing runs without autograd, and
     * AdaLoRA is not verified here: refuse checkpointing for them.
     */
    public static boolean supportsCheckpointing(String method) {
        return List.of("full_ft", "lora", "dora", "adapter").contains(method);
    }

    /**
     * Turns activation checkpointing on or off for {@link #trainingStep}. Refused (IllegalStateException)
     * when MonteCLoRA adapters are installed: see {@link #supportsCheckpointing}.
     */
    public void setCheckpointing(boolean on) {
        if (on) requireCheckpointable();
        this.checkpointing = on;
    }

    /** MonteCLoRA's KL gradients would be lost under checkpointing: refuse rather than train it wrongly. */
    private void requireCheckpointable() {
        for (Linear l : targetLinears(List.of("all"))) {
            if (l.adapter() instanceof MonteCLoraAdapter) {
                throw new IllegalStateException("activation checkpointing is not available with monteclora: its KL terms"
                        + " come from mixture weights sampled inside the layers, which checkpointing runs without autograd;"
                        + " turn checkpointing off (or lower the micro-batch size)");
            }
        }
    }

    public boolean checkpointing() {
        return checkpointing;
    }

    private static int layerSeed(long step, int layer) {
        long z = step * 0x9E3779B97F4A7C15L + layer * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 29));
    }

    private NDArray embed(NDArray inputIds) {
        return inputIds.getNDArrayInternal().embedding(inputIds, embedTokens.array(), SparseFormat.DENSE).singletonOrThrow();
    }

    /** Hugging Face generate's position ids: cumsum(mask) - 1 along the sequence, 1 at pads. */
    public static NDArray positionIds(NDArray attentionMask) {
        long[] m = attentionMask.toType(DataType.INT64, false).toLongArray();
        long b = attentionMask.getShape().get(0);
        long t = attentionMask.getShape().get(1);
        long[] pos = new long[m.length];
        for (int r = 0; r < b; r++) {
            long seen = 0;
            for (int j = 0; j < t; j++) {
                int idx = (int) (r * t + j);
                seen += m[idx];
                pos[idx] = m[idx] == 0 ? 1 : seen - 1;
            }
        }
        return attentionMask.getManager().create(pos, new Shape(b, t)).toDevice(attentionMask.getDevice(), false);
    }

    /**
     * Causal + padding (+ sliding window) mask [batch, 1, 1, seq, past + seq]: 0 where query i
     * (absolute index past + i) may see key j (j <= past + i, key not a pad, past + i - j < window),
     * float32's lowest value elsewhere (Hugging Face's additive mask).
     */
    static NDArray additiveMask(NDArray attentionMask, long seq, long past, int window, NDManager manager) {
        long[] m = attentionMask.toType(DataType.INT64, false).toLongArray();
        int b = (int) attentionMask.getShape().get(0);
        int total = (int) attentionMask.getShape().get(1);
        if (total != past + seq) {
            throw new IllegalArgumentException("attention mask covers " + total + " tokens, expected past " + past + " + new " + seq);
        }
        float[] out = new float[(int) (b * seq * total)];
        float lowest = -Float.MAX_VALUE;
        int idx = 0;
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < seq; i++) {
                long q = past + i;
                for (int j = 0; j < total; j++) {
                    boolean visible = j <= q && m[r * total + j] != 0 && (window <= 0 || q - j < window);
                    out[idx++] = visible ? 0f : lowest;
                }
            }
        }
        return manager.create(out, new Shape(b, 1, 1, seq, total));
    }

    public DecoderConfig config() {
        return config;
    }

    public List<DecoderLayer> layers() {
        return layers;
    }

    public Parameter embedTokens() {
        return embedTokens;
    }

    public Linear lmHead() {
        return lmHead;
    }

    public RmsNorm norm() {
        return norm;
    }

    @Override
    public List<String> moduleNames() {
        return DecoderLayer.LINEAR_NAMES;
    }

    /** PEFT's CAUSAL_LM task type saves no extra module: the LM head and embeddings stay frozen under adapters. */
    @Override
    public List<Parameter> alwaysTrainedParameters() {
        return List.of();
    }

    /**
     * The linears named {@code names} (Hugging Face module names, e.g. q_proj, v_proj; "all" = every
     * one), layer by layer in {@link DecoderLayer#LINEAR_NAMES} order; an unknown name is an error.
     */
    @Override
    public List<Linear> targetLinears(List<String> names) {
        for (String n : names) {
            if (!n.equals("all") && !DecoderLayer.LINEAR_NAMES.contains(n)) {
                throw new IllegalArgumentException("target module '" + n + "' is not a decoder linear (expected "
                        + String.join(", ", DecoderLayer.LINEAR_NAMES) + " or all)");
            }
        }
        List<Linear> out = new ArrayList<>();
        for (DecoderLayer layer : layers) {
            for (var e : layer.targetLinears().entrySet()) {
                if (names.contains("all") || names.contains(e.getKey())) out.add(e.getValue());
            }
        }
        return out;
    }

    /** Every base parameter (the tied head counted once), adapters excluded. */
    @Override
    public List<Parameter> baseParameters() {
        List<Parameter> out = new ArrayList<>();
        out.add(embedTokens);
        for (DecoderLayer layer : layers) {
            out.add(layer.inputLayernorm.weight());
            for (Linear l : layer.targetLinears().values()) {
                out.add(l.weight());
                if (l.bias() != null) out.add(l.bias());
            }
            out.add(layer.postAttentionLayernorm.weight());
        }
        out.add(norm.weight());
        if (lmHead.weight() != embedTokens) out.add(lmHead.weight());
        return out;
    }

    /** Base parameters plus those of every installed adapter. */
    @Override
    public List<Parameter> allParameters() {
        List<Parameter> out = baseParameters();
        for (Linear l : targetLinears(List.of("all"))) {
            if (l.adapter() != null) out.addAll(l.adapter().parameters());
        }
        return out;
    }

    /** Evaluation with every adapter folded into a weight copy (see {@link Linear#beginEvaluation()}). */
    public void beginEvaluation() {
        for (Linear l : targetLinears(List.of("all"))) l.beginEvaluation();
    }

    public void endEvaluation() {
        for (Linear l : targetLinears(List.of("all"))) l.endEvaluation();
    }

    /** Merges every adapter into its base weight. */
    public void mergeAdapters() {
        for (Linear l : targetLinears(List.of("all"))) l.merge();
    }
}
