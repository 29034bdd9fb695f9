package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder (causal LM) trials on the commonsense tasks, following LLM-Adapters' finetune.py and
 * commonsense_evaluate.py. The cutoff length (their cutoff_len, 256 in the paper) is the trial's
 * max_seq_length; the effective batch is batch_size, run as micro-batches with gradient accumulation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DecoderSettings {
    public static final List<String> TEMPLATES = List.of("llm-adapters", "alpaca");
    public static final List<String> EVAL_MODES = List.of("generate", "likelihood");
    public static final List<String> EXTRACTIONS = List.of("monteclora", "llm-adapters");

    /** "llm-adapters" (the authors' strings, byte for byte) or "alpaca" (alpaca-lora's clean template). */
    @JsonProperty("prompt_template") public String promptTemplate = "llm-adapters";
    /** true (their default): loss on every token; false: the prompt's tokens are masked (-100). */
    @JsonProperty("train_on_inputs") public boolean trainOnInputs = true;
    /** Examples per forward pass; batch_size / micro_batch_size gradient-accumulation steps. null = batch_size. */
    @JsonProperty("micro_batch_size") public Integer microBatchSize;
    /** "generate" (the authors: generation + answer extraction) or "likelihood" (extension: rank each option's answer text by its NLL). */
    @JsonProperty("eval_mode") public String evalMode = "generate";
    /** 1 = greedy (fast default); 4 = the authors' beam search. */
    @JsonProperty("num_beams") public int numBeams = 1;
    /** New tokens generated per prompt (the authors: 32). */
    @JsonProperty("max_new_tokens") public int maxNewTokens = 32;
    /** BoolQ answer pattern: "monteclora" (\b(true|false|yes|no)\b, case-insensitive) or "llm-adapters" (true|false). */
    @JsonProperty("answer_extraction") public String answerExtraction = "monteclora";
    /**
     * Activation checkpointing (finetune.py's use_gradient_checkpointing): keep only each layer's input
     * and recompute the layer in the backward pass; same gradients, far less activation memory.
     */
    @JsonProperty("gradient_checkpointing") public boolean gradientCheckpointing = false;
    /** Generations kept in result.json per evaluation task (the first N records). */
    @JsonProperty("generation_samples") public int generationSamples = 5;

    /** Every problem, each naming its key. */
    public List<String> validate(int batchSize) {
        List<String> errors = new ArrayList<>();
        if (!TEMPLATES.contains(promptTemplate)) errors.add("decoder.prompt_template: expected one of " + TEMPLATES + ", got '" + promptTemplate + "'");
        if (microBatchSize != null) {
            if (microBatchSize <= 0) errors.add("decoder.micro_batch_size: must be > 0, got " + microBatchSize);
            else if (batchSize > 0 && batchSize % microBatchSize != 0) {
                errors.add("decoder.micro_batch_size: must divide batch_size " + batchSize + " (gradient_accumulation_steps = batch_size / micro_batch_size), got " + microBatchSize);
            }
        }
        if (!EVAL_MODES.contains(evalMode)) errors.add("decoder.eval_mode: expected one of " + EVAL_MODES + ", got '" + evalMode + "'");
        if (numBeams < 1) errors.add("decoder.num_beams: must be >= 1, got " + numBeams);
        if (maxNewTokens < 1) errors.add("decoder.max_new_tokens: must be >= 1, got " + maxNewTokens);
        if (!EXTRACTIONS.contains(answerExtraction)) errors.add("decoder.answer_extraction: expected one of " + EXTRACTIONS + ", got '" + answerExtraction + "'");
        if (generationSamples < 0) errors.add("decoder.generation_samples: must be >= 0, got " + generationSamples);
        return errors;
    }

    /** Micro-batch size actually used. */
    public int microBatch(int batchSize) {
        return microBatchSize == null ? batchSize : Math.min(microBatchSize, batchSize);
    }
}
