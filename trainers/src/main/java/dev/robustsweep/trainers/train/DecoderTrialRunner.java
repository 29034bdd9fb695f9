package dev.robustsweep.trainers.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.commonsense.CausalLmExample;
import dev.robustsweep.trainers.commonsense.CommonsenseData;
import dev.robustsweep.trainers.commonsense.CommonsenseEvaluator;
import dev.robustsweep.trainers.commonsense.CommonsenseLoader;
import dev.robustsweep.trainers.commonsense.CommonsenseTask;
import dev.robustsweep.trainers.commonsense.PromptTokenizer;
import dev.robustsweep.trainers.model.decoder.DecoderTokenizer;
import dev.robustsweep.trainers.commonsense.InstructionRecord;
import dev.robustsweep.trainers.commonsense.PromptTemplate;
import dev.robustsweep.trainers.commonsense.TaskScores;
import dev.robustsweep.trainers.data.DataFormatException;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.GenerationSettings;
import dev.robustsweep.trainers.model.decoder.MemoryEstimate;
import dev.robustsweep.trainers.adapters.bottleneck.BottleneckMethod;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.DecoderSettings;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.ModelLoadException;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoder trial on the commonsense tasks, end to end (LLM-Adapters' finetune.py then
 * commonsense_evaluate.py): the decoder folder, the records through the prompt template into
 * causal-LM examples (EOS appended, cutoff = max_seq_length, the prompt masked unless
 * train_on_inputs), the method on the target linears, {@link DecoderTrainer}, then the zero-shot
 * evaluation of every eval task ({@link CommonsenseEvaluator}) once training ends. The result keeps
 * per-task scores ("per_task"), their macro averages ("metrics") and the first generations.
 */
public final class DecoderTrialRunner {
    private DecoderTrialRunner() {}

    /** Whether a trial's model is a decoder (the built-in tiny-llama or a llama/mistral/qwen2 folder), without loading it. */
    public static boolean isDecoder(String model) {
        if (model == null) return false;
        if (TinyLlama.ID.equals(model)) return true;
        if ("minilm-l6".equals(model)) return false;
        return DecoderFolder.isDecoder(Path.of(model));
    }

    public static TrialResult run(TrialConfig trial, TrainingListener listener) {
        long start = System.nanoTime();
        Map<String, Object> timings = new LinkedHashMap<>();
        Engine engine = null;
        Device device = null;
        try {
            if (!CommonsenseTask.handles(trial.task.name) || trial.task.format != null) {
                throw new IllegalArgumentException("task '" + trial.task.name + "': decoder models (" + trial.model + ") train on the commonsense tasks "
                        + CommonsenseTask.BUILTIN.keySet() + " or '" + CommonsenseTask.MIX + "'; classification tasks need an encoder");
            }
            if (dev.robustsweep.trainers.posthoc.PosthocEvaluation.applies(trial)) {
                throw new IllegalArgumentException("method '" + trial.method + "': the Bayesian post-hoc baselines calibrate classification heads"
                        + " (encoder trials); decoder trials take full_ft, lora, dora, adalora, monteclora or adapter");
            }
            engine = EngineSetup.start(trial.threads);
            device = EngineSetup.device(engine, trial.device);
            EngineSetup.seed(engine, trial.seed);
            double engineSeconds = (System.nanoTime() - start) / 1e9;

            long t0 = System.nanoTime();
            DecoderFolder folder = DecoderFolder.load(TinyLlama.resolve(trial.model));
            Path dataDir = trial.dataDir != null ? Path.of(trial.dataDir) : TrialRunner.defaultDataDir();
            CommonsenseData data = CommonsenseLoader.load(trial.task, dataDir);
            DecoderSettings s = trial.decoder;
            PromptTemplate template = PromptTemplate.named(s.promptTemplate);
            GenerationSettings generation = GenerationSettings.defaults(folder.config()).withBeams(s.numBeams).withMaxNewTokens(s.maxNewTokens);
            if (generation.eosTokenIds().isEmpty()) throw new ModelLoadException(folder.dir() + "/config.json: no eos_token_id (needed to end training examples and generations)");
            long eos = generation.eosTokenIds().get(0);
            List<CausalLmExample> train = new ArrayList<>();
            Map<String, List<InstructionRecord>> eval = new LinkedHashMap<>();
            try (DecoderTokenizer decoderTokenizer = new DecoderTokenizer(folder.tokenizerJson())) {
                PromptTokenizer tokenizer = PromptTokenizer.of(decoderTokenizer);
                for (InstructionRecord r : limit(data.train(), trial.maxTrainSamples)) {
                    train.add(CausalLmExample.training(r, template, tokenizer, trial.maxSeqLength, eos, s.trainOnInputs));
                }
                for (Map.Entry<String, List<InstructionRecord>> e : data.eval().entrySet()) eval.put(e.getKey(), limit(e.getValue(), trial.maxEvalSamples));
                if (train.isEmpty()) throw new DataFormatException(dataDir, 0, "task '" + data.name() + "' has no training records");
                for (Map.Entry<String, List<InstructionRecord>> e : eval.entrySet()) {
                    if (e.getValue().isEmpty()) throw new DataFormatException(dataDir, 0, "evaluation task '" + e.getKey() + "' has no records");
                }
                double loadSeconds = (System.nanoTime() - t0) / 1e9;

                try (NDManager manager = engine.newBaseManager(device)) {
                    CausalLm model = new CausalLmBuilder(folder, manager).build();
                    int totalSteps = Trainer.totalSteps(train.size(), trial.batchSize, trial.epochs);
                    AdaptationMethod method = Methods.create(trial, manager, totalSteps);
                    method.apply(model);
                    Map<String, Object> parameters = parameterCounts(model, method);
                    model.setCheckpointing(s.gradientCheckpointing);
                    // refuse, before training, a trial whose memory estimate exceeds the device (docs/decoders.md, "Memory")
                    MemoryEstimate memory = memoryEstimate(trial, folder, model, train);
                    memory.requireFits(MemoryEstimate.deviceMemoryBytes(device), device.toString());

                    DecoderTrainer.Outcome outcome = new DecoderTrainer(trial, model, method, generation.padTokenId(), manager, listener).train(train);
                    TrialResult result;
                    long e0 = System.nanoTime();
                    if (outcome.diverged()) {
                        result = new TrialResult(trial, TrialResult.DIVERGED, "non-finite loss or gradient at step " + outcome.divergedAtStep());
                        result.put("diverged_at_step", outcome.divergedAtStep());
                        result.put("per_task", unscored(trial));
                    } else {
                        result = new TrialResult(trial, TrialResult.COMPLETED, null);
                        Map<String, TaskScores> scores = new CommonsenseEvaluator(model, tokenizer, template, s, generation,
                                trial.evalBatchSize, manager).evaluate(eval);
                        putScores(result, scores, trial.epochs);
                    }
                    double evalSeconds = (System.nanoTime() - e0) / 1e9;
                    result.put("epochs", outcome.epochs());
                    result.put("train_loss_curve", outcome.lossCurve());
                    result.put("method_state", method.state());
                    result.put("parameters", parameters);
                    result.put("memory_estimate_bytes", memory.totalBytes());
                    timings.put("engine_start_s", engineSeconds);
                    timings.put("load_s", loadSeconds);
                    timings.put("train_s", outcome.trainSeconds());
                    timings.put("eval_s", evalSeconds);
                    timings.put("steps", outcome.steps());
                    timings.put("train_tokens", outcome.trainTokens());
                    timings.put("train_tokens_per_s", outcome.trainSeconds() > 0 ? outcome.trainTokens() / outcome.trainSeconds() : 0);
                    return finish(result, trial, timings, start, folder.checksum(), data, engine, device);
                }
            }
        } catch (ModelLoadException | DataFormatException | IllegalArgumentException | IllegalStateException e) {
            return finish(failed(trial, e.getMessage()), trial, timings, start, null, null, engine, device);
        } catch (RuntimeException | OutOfMemoryError e) {
            e.printStackTrace(); // not a user's mistake: keep the trace in the worker log
            return finish(failed(trial, e.getClass().getSimpleName() + ": " + e.getMessage()), trial, timings, start, null, null, engine, device);
        }
    }

    private static TrialResult failed(TrialConfig trial, String reason) {
        TrialResult r = new TrialResult(trial, TrialResult.FAILED, reason);
        Map<String, Object> perTask = unscored(trial);
        if (!perTask.isEmpty()) r.put("per_task", perTask);
        return r;
    }

    /** per_task of a trial without scores (diverged or failed): every evaluation task it names, each with no metrics, so reports count it per task. */
    static Map<String, Object> unscored(TrialConfig trial) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (trial.task == null || !CommonsenseTask.handles(trial.task.name) || !CommonsenseLoader.check(trial.task).isEmpty()) return out;
        for (String t : CommonsenseLoader.evalTasks(trial.task)) out.put(t, Map.of());
        return out;
    }

    /** metrics = macro averages over the eval tasks (what a single-task report row shows); per_task; generations. */
    static void putScores(TrialResult result, Map<String, TaskScores> scores, int epoch) {
        Map<String, Object> perTask = new LinkedHashMap<>();
        Map<String, Object> generations = new LinkedHashMap<>();
        double acc = 0;
        double nll = 0;
        int examples = 0;
        for (TaskScores t : scores.values()) {
            perTask.put(t.task(), t.asMap());
            generations.put(t.task(), t.samples());
            acc += t.accuracy();
            nll += t.nll();
            examples += t.examples();
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", acc / scores.size());
        metrics.put("nll", nll / scores.size());
        metrics.put("eval_examples", examples);
        metrics.put("epoch", epoch);
        result.put("metrics", metrics);
        result.put("per_task", perTask);
        result.put("generations", generations);
    }

    private static TrialResult finish(TrialResult result, TrialConfig trial, Map<String, Object> timings, long start,
                                      String modelChecksum, CommonsenseData data, Engine engine, Device device) {
        TrialRunner.finish(result, trial, timings, start, modelChecksum, null, engine, device);
        Map<String, Object> checksums = new LinkedHashMap<>();
        checksums.put("model", modelChecksum);
        checksums.put("train_data", data == null ? null : data.trainChecksum());
        checksums.put("eval_data", data == null ? null : data.evalChecksums());
        result.put("checksums", checksums);
        return result;
    }

    /** MemoryEstimate's plan for this trial: trainable and adapter parameters, micro-batch, longest example, adapted input widths. */
    static MemoryEstimate memoryEstimate(TrialConfig trial, DecoderFolder folder, CausalLm model, List<CausalLmExample> train) {
        long trainable = 0;
        long all = 0;
        long base = 0;
        for (Parameter p : model.allParameters()) {
            all += p.size();
            if (p.trainable()) trainable += p.size();
        }
        for (Parameter p : model.baseParameters()) base += p.size();
        int longest = 0;
        for (CausalLmExample e : train) longest = Math.max(longest, e.ids().length);
        List<String> modules = switch (trial.method) {
            case "full_ft" -> List.of();
            case "adapter" -> BottleneckMethod.targets(trial.adapter, model);
            default -> trial.lora.targetModules;
        };
        List<String> resolved = dev.robustsweep.trainers.trial.TargetModules.select(model.moduleNames(), modules, "decoder");
        double dropout = "adapter".equals(trial.method) ? trial.adapter.adapterDropout : trial.lora.loraDropout;
        return MemoryEstimate.of(folder.config(), new MemoryEstimate.Plan(trainable, all - base,
                trial.decoder.microBatch(trial.batchSize), longest, trial.decoder.gradientCheckpointing,
                MemoryEstimate.inputWidths(folder.config(), resolved), dropout > 0 && !resolved.isEmpty(), trial.bf16));
    }

    private static Map<String, Object> parameterCounts(CausalLm model, AdaptationMethod method) {
        long total = 0;
        long trainable = 0;
        for (Parameter p : model.allParameters()) {
            total += p.size();
            if (p.trainable()) trainable += p.size();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total);
        m.put("trainable", trainable);
        m.put("adapter_extra", method.extraParameterCount());
        return m;
    }

    private static <T> List<T> limit(List<T> list, Integer max) {
        return max == null || max >= list.size() ? list : list.subList(0, max);
    }
}
