package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trial: everything a worker needs to train and evaluate one grid point. This is the JSON
 * trial file the engine writes and {@code robustsweep train --trial} reads (schema in docs/schemas.md).
 * Names follow Hugging Face's TrainingArguments and PEFT.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrialConfig {
    public static final Set<String> METHODS = Set.of("full_ft", "lora", "dora", "adalora", "monteclora", "adapter",
            "map", "mc_dropout", "checkpoint_ensemble", "temperature", "laplace_lora", "llla");

    /** Content-derived id, e.g. "mrpc-lora-lr3e-04-bs32-s42-1a2b3c4d". */
    @JsonProperty("trial_id") public String trialId;
    /** Sweep this trial belongs to (informational). */
    @JsonProperty("sweep") public String sweep;
    /** "minilm-l6" (embedded) or a Hugging Face model folder (config.json, model.safetensors, tokenizer.json). */
    @JsonProperty("model") public String model = "minilm-l6";
    /** The task and its data. */
    @JsonProperty("task") public TaskSpec task;
    /** Root of built-in task data (glue/MRPC/..., superglue/BoolQ/...); null = the repository's data/. */
    @JsonProperty("data_dir") public String dataDir;
    /** Method: full_ft, lora, dora, adalora, monteclora, adapter (LLM-Adapters' bottleneck adapter), or a Bayesian post-hoc baseline of LoRA (map, mc_dropout, checkpoint_ensemble, temperature, laplace_lora, llla; docs/grids.md). */
    @JsonProperty("method") public String method;
    /** The grid's name for this method variant (e.g. "monteclora-sparse"); null = method. */
    @JsonProperty("method_name") public String methodName;

    /** Peak learning rate of AdamW. */
    @JsonProperty("learning_rate") public double learningRate = 5e-5;
    /** Training batch size. */
    @JsonProperty("batch_size") public int batchSize = 32;
    /** Evaluation batch size. */
    @JsonProperty("eval_batch_size") public int evalBatchSize = 64;
    /** Seed of initialisation, dropout, shuffling and sampling. */
    @JsonProperty("seed") public long seed = 42;
    /** Passes over the training data. */
    @JsonProperty("epochs") public int epochs = 3;
    /** Tokens per example after truncation (longest-first for pairs). */
    @JsonProperty("max_seq_length") public int maxSeqLength = 128;
    /** "linear" (warm-up then linear decay to 0) or "constant" (warm-up then constant). */
    @JsonProperty("lr_scheduler_type") public String lrSchedulerType = "linear";
    /** Warm-up as a fraction of total steps (used when warmup_steps is 0). */
    @JsonProperty("warmup_ratio") public double warmupRatio = 0.06;
    /** Warm-up steps; overrides warmup_ratio when > 0. */
    @JsonProperty("warmup_steps") public int warmupSteps = 0;
    /** Decoupled AdamW weight decay (never on biases or LayerNorm weights). */
    @JsonProperty("weight_decay") public double weightDecay = 0.0;
    /** Global gradient-norm clipping threshold; 0 disables. */
    @JsonProperty("max_grad_norm") public double maxGradNorm = 1.0;
    @JsonProperty("adam_beta1") public double adamBeta1 = 0.9;
    @JsonProperty("adam_beta2") public double adamBeta2 = 0.999;
    @JsonProperty("adam_epsilon") public double adamEpsilon = 1e-8;
    /**
     * What the classification head reads: "cls" = Hugging Face's head of the model type (BERT: [CLS]
     * through the pooler; RoBERTa: first token), "mean" = masked mean (RobustSweep extension);
     * null = the model's default ("cls", except the embedded minilm-l6: {@link #MINILM_DEFAULT_POOLING}).
     */
    @JsonProperty("pooling") public String pooling;
    /** Dropout in the encoder; null = the model's config (hidden_dropout_prob). */
    @JsonProperty("hidden_dropout_prob") public Double hiddenDropoutProb;
    /** Dropout on attention probabilities; null = the model's config. */
    @JsonProperty("attention_probs_dropout_prob") public Double attentionProbsDropoutProb;
    /** Dropout before the classifier; null = hidden dropout. */
    @JsonProperty("classifier_dropout") public Double classifierDropout;
    /** Use only the first N training examples (after the seeded dev split, before shuffling); null = all. */
    @JsonProperty("max_train_samples") public Integer maxTrainSamples;
    /** Use only the first N validation examples; null = all. */
    @JsonProperty("max_eval_samples") public Integer maxEvalSamples;
    /** "cpu" or "gpu" (the first GPU that CUDA_VISIBLE_DEVICES exposes). */
    @JsonProperty("device") public String device = "cpu";
    /** bf16 autocast of the model's matrix multiplies, float32 master weights (model.Bf16Autocast; CPU and GPU). */
    @JsonProperty("bf16") public boolean bf16 = false;
    /** Intra-op threads of the engine; 0 = engine default. */
    @JsonProperty("threads") public int threads = 0;

    /** LoRA settings (lora, dora, monteclora; adalora uses lora_alpha, lora_dropout, target_modules). */
    @JsonProperty("lora") public LoraSettings lora = new LoraSettings();
    /** AdaLoRA settings. */
    @JsonProperty("adalora") public AdaLoraSettings adalora = new AdaLoraSettings();
    /** MonteCLoRA settings. */
    @JsonProperty("monteclora") public MonteCLoraSettings monteclora = new MonteCLoraSettings();
    /** Bottleneck adapter settings (method adapter). */
    @JsonProperty("adapter") public AdapterSettings adapter = new AdapterSettings();
    /** Decoder (causal LM) trials: prompt template, prompt masking, micro-batches, evaluation by generation. */
    @JsonProperty("decoder") public DecoderSettings decoder = new DecoderSettings();
    /** Settings of the Bayesian post-hoc baselines (map, mc_dropout, checkpoint_ensemble, temperature). */
    @JsonProperty("posthoc") public PosthocSettings posthoc = new PosthocSettings();

    /** The values of the grid axes that produced this trial (copied into the result for reports). */
    @JsonProperty("grid_point") public Map<String, Object> gridPoint = new LinkedHashMap<>();
    /** Test-only fault injection ({kind: crash|hang|nan, at_step}); honoured only with ROBUSTSWEEP_ALLOW_FAULTS=1. */
    @JsonProperty("fault_injection") public FaultInjection faultInjection;

    /** The pooling a trial uses: its own, else the model's default (see {@link #pooling}). */
    public String headPooling() {
        if (pooling != null) return pooling;
        return "minilm-l6".equals(model) ? MINILM_DEFAULT_POOLING : "cls";
    }

    /**
     * Default pooling of the embedded minilm-l6, chosen by measurement (README, "Models"): its ONNX
     * file has no pooler, so Hugging Face's head would put a random, frozen pooler before the classifier.
     */
    public static final String MINILM_DEFAULT_POOLING = "cls";

    /** The variant name reports group by. */
    public String displayMethod() {
        return methodName != null ? methodName : method;
    }

    /** Every problem with this configuration, each naming its key; empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (trialId == null || trialId.isBlank()) errors.add("trial_id: required");
        if (model == null || model.isBlank()) errors.add("model: required (\"minilm-l6\" or a model folder)");
        if (task == null || task.name == null || task.name.isBlank()) errors.add("task.name: required");
        if (method == null) errors.add("method: required, one of " + sorted(METHODS));
        else if (!METHODS.contains(method)) errors.add("method: unknown method '" + method + "', expected one of " + sorted(METHODS));
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) errors.add("learning_rate: must be a positive number, got " + learningRate);
        if (batchSize <= 0) errors.add("batch_size: must be > 0, got " + batchSize);
        if (evalBatchSize <= 0) errors.add("eval_batch_size: must be > 0, got " + evalBatchSize);
        if (epochs <= 0) errors.add("epochs: must be > 0, got " + epochs);
        if (maxSeqLength < 8) errors.add("max_seq_length: must be >= 8, got " + maxSeqLength);
        if (!Set.of("linear", "constant").contains(lrSchedulerType)) errors.add("lr_scheduler_type: expected linear or constant, got '" + lrSchedulerType + "'");
        if (warmupRatio < 0 || warmupRatio >= 1) errors.add("warmup_ratio: must be in [0, 1), got " + warmupRatio);
        if (warmupSteps < 0) errors.add("warmup_steps: must be >= 0, got " + warmupSteps);
        if (weightDecay < 0) errors.add("weight_decay: must be >= 0, got " + weightDecay);
        if (maxGradNorm < 0) errors.add("max_grad_norm: must be >= 0, got " + maxGradNorm);
        if (!(adamBeta1 >= 0 && adamBeta1 < 1)) errors.add("adam_beta1: must be in [0, 1), got " + adamBeta1);
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) errors.add("adam_beta2: must be in [0, 1), got " + adamBeta2);
        if (!(adamEpsilon > 0)) errors.add("adam_epsilon: must be > 0, got " + adamEpsilon);
        if (pooling != null && !Set.of("cls", "mean").contains(pooling)) errors.add("pooling: expected cls or mean, got '" + pooling + "'");
        checkProbability(errors, "hidden_dropout_prob", hiddenDropoutProb);
        checkProbability(errors, "attention_probs_dropout_prob", attentionProbsDropoutProb);
        checkProbability(errors, "classifier_dropout", classifierDropout);
        if (maxTrainSamples != null && maxTrainSamples <= 0) errors.add("max_train_samples: must be > 0, got " + maxTrainSamples);
        if (maxEvalSamples != null && maxEvalSamples <= 0) errors.add("max_eval_samples: must be > 0, got " + maxEvalSamples);
        if (!Set.of("cpu", "gpu").contains(device)) errors.add("device: expected cpu or gpu, got '" + device + "'");
        if (threads < 0) errors.add("threads: must be >= 0, got " + threads);
        if (lora == null) errors.add("lora: must be an object");
        else {
            if (lora.r <= 0) errors.add("lora.r: must be > 0, got " + lora.r);
            if (!(lora.loraAlpha > 0)) errors.add("lora.lora_alpha: must be > 0, got " + lora.loraAlpha);
            checkProbability(errors, "lora.lora_dropout", lora.loraDropout);
            if (lora.targetModules == null || lora.targetModules.isEmpty()) errors.add("lora.target_modules: must name at least one module");
            else for (String m : lora.targetModules) {
                if (!TargetModules.known(m)) {
                    errors.add("lora.target_modules: unknown module '" + m + "', expected encoder modules " + TargetModules.NAMES
                            + ", decoder modules " + TargetModules.DECODER_NAMES + " or all");
                }
            }
        }
        if (adalora == null) errors.add("adalora: must be an object");
        else {
            if (adalora.initR <= 0) errors.add("adalora.init_r: must be > 0, got " + adalora.initR);
            if (adalora.targetR <= 0 || adalora.targetR > adalora.initR) errors.add("adalora.target_r: must be in [1, init_r], got " + adalora.targetR);
            if (adalora.tinit != null && adalora.tinit < 0) errors.add("adalora.tinit: must be >= 0, got " + adalora.tinit);
            if (adalora.tfinal != null && adalora.tfinal < 0) errors.add("adalora.tfinal: must be >= 0, got " + adalora.tfinal);
            if (!Set.of("peft", "fractions").contains(adalora.phaseDefaults)) {
                errors.add("adalora.phase_defaults: expected peft or fractions, got '" + adalora.phaseDefaults + "'");
            }
            if (adalora.deltaT <= 0) errors.add("adalora.deltaT: must be > 0, got " + adalora.deltaT);
            if (!(adalora.beta1 >= 0 && adalora.beta1 < 1)) errors.add("adalora.beta1: must be in [0, 1), got " + adalora.beta1);
            if (!(adalora.beta2 >= 0 && adalora.beta2 < 1)) errors.add("adalora.beta2: must be in [0, 1), got " + adalora.beta2);
            if (adalora.orthRegWeight < 0) errors.add("adalora.orth_reg_weight: must be >= 0, got " + adalora.orthRegWeight);
        }
        if (monteclora == null) errors.add("monteclora: must be an object");
        else {
            MonteCLoraSettings m = monteclora;
            if (m.mixtures < 1) errors.add("monteclora.mixtures: must be >= 1, got " + m.mixtures);
            if (!(m.sampleScaler >= 0)) errors.add("monteclora.sample_scaler: must be >= 0, got " + m.sampleScaler);
            if (!(m.klWeight >= 0)) errors.add("monteclora.kl_weight: must be >= 0, got " + m.klWeight);
            if (!(m.dirichletPrior > 0)) errors.add("monteclora.dirichlet_prior: must be > 0, got " + m.dirichletPrior);
            if (m.wishartDof != null && lora != null && !(m.wishartDof > lora.r - 1)) {
                errors.add("monteclora.wishart_dof: must be > r - 1 = " + (lora.r - 1) + ", got " + m.wishartDof);
            }
            if (!Set.of("prior", "random").contains(m.dirichletInit)) errors.add("monteclora.dirichlet_init: expected prior or random, got '" + m.dirichletInit + "'");
            if (m.bmaSamples < 0) errors.add("monteclora.bma_samples: must be >= 0 (0 = evaluate the mean), got " + m.bmaSamples);
            if (!Set.of("dense", "sparse").contains(m.mixture)) errors.add("monteclora.mixture: expected dense or sparse, got '" + m.mixture + "'");
            if (!Set.of("joint", "posthoc").contains(m.schedule)) errors.add("monteclora.schedule: expected joint or posthoc, got '" + m.schedule + "'");
            if ("posthoc".equals(m.schedule) && "monteclora".equals(method) && epochs == 1) {
                errors.add("monteclora.schedule: posthoc needs epochs >= 2 (half the epochs train A and B, the rest V and alpha), got epochs 1");
            }
            if (!(m.posthocLrMultiplier > 0) || Double.isInfinite(m.posthocLrMultiplier)) {
                errors.add("monteclora.posthoc_lr_multiplier: must be a positive number, got " + m.posthocLrMultiplier);
            }
        }
        if (adapter == null) errors.add("adapter: must be an object");
        else {
            if (adapter.bottleneckSize <= 0) errors.add("adapter.bottleneck_size: must be > 0, got " + adapter.bottleneckSize);
            if (!AdapterSettings.NON_LINEARITIES.contains(adapter.nonLinearity)) {
                errors.add("adapter.non_linearity: expected one of " + AdapterSettings.NON_LINEARITIES + ", got '" + adapter.nonLinearity + "'");
            }
            checkProbability(errors, "adapter.adapter_dropout", adapter.adapterDropout);
            if (!Double.isFinite(adapter.scaling)) errors.add("adapter.scaling: must be a finite number, got " + adapter.scaling);
            if (!AdapterSettings.INITS.contains(adapter.initWeights)) {
                errors.add("adapter.init_weights: expected one of " + AdapterSettings.INITS + ", got '" + adapter.initWeights + "'");
            }
            if (adapter.targetModules != null) {
                if (adapter.targetModules.isEmpty()) errors.add("adapter.target_modules: must name at least one module (or be absent for the defaults)");
                for (String m : adapter.targetModules) {
                    if (!TargetModules.known(m)) {
                        errors.add("adapter.target_modules: unknown module '" + m + "', expected encoder modules " + TargetModules.NAMES
                                + ", decoder modules " + TargetModules.DECODER_NAMES + " or all");
                    }
                }
            }
        }
        if (decoder == null) errors.add("decoder: must be an object");
        else errors.addAll(decoder.validate(batchSize));
        if (posthoc == null) errors.add("posthoc: must be an object");
        else {
            if (posthoc.mcSamples < 1) errors.add("posthoc.mc_samples: must be >= 1, got " + posthoc.mcSamples);
            if (posthoc.ensembleCheckpoints < 1) errors.add("posthoc.ensemble_checkpoints: must be >= 1, got " + posthoc.ensembleCheckpoints);
            if (!(posthoc.holdoutFraction > 0 && posthoc.holdoutFraction < 1)) errors.add("posthoc.holdout_fraction: must be in (0, 1), got " + posthoc.holdoutFraction);
            if (!(posthoc.mapWeightDecay >= 0) || Double.isInfinite(posthoc.mapWeightDecay)) errors.add("posthoc.map_weight_decay: must be a finite number >= 0, got " + posthoc.mapWeightDecay);
            if (!Set.of("probit", "mc").contains(posthoc.laplacePredictive)) errors.add("posthoc.laplace_predictive: expected probit or mc, got '" + posthoc.laplacePredictive + "'");
            if (posthoc.laplaceSamples < 1) errors.add("posthoc.laplace_samples: must be >= 1, got " + posthoc.laplaceSamples);
            if (posthoc.laplacePriorPrecision != null && !(posthoc.laplacePriorPrecision > 0 && !posthoc.laplacePriorPrecision.isInfinite())) {
                errors.add("posthoc.laplace_prior_precision: must be a positive number or null (marginal likelihood), got " + posthoc.laplacePriorPrecision);
            }
        }
        if (faultInjection != null) errors.addAll(faultInjection.validate());
        return errors;
    }

    private static void checkProbability(List<String> errors, String key, Double p) {
        if (p != null && !(p >= 0 && p < 1)) errors.add(key + ": must be in [0, 1), got " + p);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
