package dev.robustsweep.trainers.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.DataFormatException;
import dev.robustsweep.trainers.data.TaskData;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.posthoc.PosthocEvaluation;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.runtime.PeakMemory;
import dev.robustsweep.trainers.runtime.ToolVersion;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one trial end to end: engine, model, data, method, training, result. A user's mistake
 * (missing model file, malformed data) or any other error becomes a "failed" result with its reason;
 * a NaN/inf loss becomes "diverged" with the last finished evaluation.
 */
public final class TrialRunner {
    private TrialRunner() {}

    /** Default root of the built-in task data: the repository's data/ (robustsweep.home), else ./data. */
    public static Path defaultDataDir() {
        String home = System.getProperty("robustsweep.home");
        return home != null ? Path.of(home, "data") : Path.of("data");
    }

    public static TrialResult run(TrialConfig trial, TrainingListener listener) {
        if (DecoderTrialRunner.isDecoder(trial.model)) return DecoderTrialRunner.run(trial, listener);
        long start = System.nanoTime();
        Map<String, Object> timings = new LinkedHashMap<>();
        try {
            if (trial.task != null && dev.robustsweep.trainers.commonsense.CommonsenseTask.handles(trial.task.name) && trial.task.format == null) {
                throw new IllegalArgumentException("task '" + trial.task.name + "' is a commonsense task for decoder models; model '" + trial.model
                        + "' is an encoder: use tiny-llama or a llama, mistral or qwen2 folder");
            }
            Engine engine = EngineSetup.start(trial.threads);
            Device device = EngineSetup.device(engine, trial.device);
            EngineSetup.seed(engine, trial.seed);
            double engineSeconds = (System.nanoTime() - start) / 1e9;

            long t0 = System.nanoTime();
            ModelFolder folder = ModelFolder.load(EmbeddedMiniLm.resolve(trial.model));
            int positions = folder.config().maxSequenceLength();
            if (trial.maxSeqLength > positions) {
                // refused rather than clamped: the result must record what ran
                throw new IllegalArgumentException("max_seq_length: " + trial.maxSeqLength + " exceeds the model's " + positions
                        + " positions (max_position_embeddings " + folder.config().maxPositionEmbeddings + ")");
            }
            Path dataDir = trial.dataDir != null ? Path.of(trial.dataDir) : defaultDataDir();
            TaskData task = TaskLoader.load(trial.task, dataDir);
            List<TokenizedExample> train;
            List<TokenizedExample> dev;
            try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), trial.maxSeqLength)) {
                train = text.encodeAll(limit(task.train(), trial.maxTrainSamples));
                dev = text.encodeAll(limit(task.dev(), trial.maxEvalSamples));
            }
            if (train.isEmpty()) throw new DataFormatException(dataDir, 0, "task '" + task.name() + "' has no training examples");
            if (dev.isEmpty()) throw new DataFormatException(dataDir, 0, "task '" + task.name() + "' has no validation examples");
            double loadSeconds = (System.nanoTime() - t0) / 1e9;

            try (NDManager manager = engine.newBaseManager(device)) {
                SequenceClassifier model = new ClassifierBuilder(folder, manager)
                        .optNumLabels(task.numLabels())
                        .optPooling(trial.headPooling())
                        .optDropout(trial.hiddenDropoutProb, trial.attentionProbsDropoutProb, trial.classifierDropout)
                        .optSeed(trial.seed)
                        .build();
                int totalSteps = Trainer.totalSteps(train.size(), trial.batchSize, trial.epochs);
                AdaptationMethod method = Methods.create(trial, manager, totalSteps);
                method.apply(model);
                Map<String, Object> parameters = parameterCounts(model, method);

                Batcher batcher = new Batcher(folder.config());
                Evaluator evaluator = new Evaluator(batcher, trial.evalBatchSize, task.numLabels());
                PosthocEvaluation posthoc = PosthocEvaluation.applies(trial) ? new PosthocEvaluation(trial, evaluator, batcher, task.numLabels()) : null;
                List<List<TokenizedExample>> split = PosthocEvaluation.split(trial, train); // temperature: held-out training part
                TrainingOutcome outcome = new Trainer(trial, model, method, batcher, evaluator, manager,
                        posthoc == null ? listener : posthoc.listener(listener)).train(split.get(0), dev);

                TrialResult result = new TrialResult(trial, outcome.diverged() ? TrialResult.DIVERGED : TrialResult.COMPLETED,
                        outcome.diverged() ? "non-finite loss or gradient at step " + outcome.divergedAtStep() : null);
                result.outcome(outcome);
                if (posthoc != null && !outcome.diverged() && outcome.last() != null) {
                    PosthocEvaluation.Outcome p = posthoc.finish(model, dev, split.get(1), split.get(0),
                            evaluator.lastPredictions(), manager, engine);
                    result.posthoc(p.metrics(), outcome.last().epoch(), p.state());
                }
                result.put("method_state", method.state());
                result.put("parameters", parameters);
                result.put("head", model.head().describe());
                result.put("dev_baseline", DevBaseline.of(dev.stream().mapToInt(TokenizedExample::label).toArray(), task.numLabels()).asMap());
                timings.put("engine_start_s", engineSeconds);
                timings.put("load_s", loadSeconds);
                timings.put("train_s", outcome.trainSeconds());
                timings.put("eval_s", outcome.evalSeconds());
                timings.put("steps", outcome.steps());
                timings.put("train_tokens", outcome.trainTokens());
                timings.put("train_tokens_per_s", outcome.trainSeconds() > 0 ? outcome.trainTokens() / outcome.trainSeconds() : 0);
                return finish(result, trial, timings, start, folder.checksum(), task, engine, device);
            }
        } catch (ModelLoadException | DataFormatException | IllegalArgumentException | IllegalStateException e) {
            return finish(new TrialResult(trial, TrialResult.FAILED, e.getMessage()), trial, timings, start, null, null, null, null);
        } catch (RuntimeException | OutOfMemoryError e) {
            e.printStackTrace(); // not a user's mistake: keep the trace in the worker log
            return finish(new TrialResult(trial, TrialResult.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()),
                    trial, timings, start, null, null, null, null);
        }
    }

    static TrialResult finish(TrialResult result, TrialConfig trial, Map<String, Object> timings, long start,
                                      String modelChecksum, TaskData task, Engine engine, Device device) {
        timings.put("wall_s", (System.nanoTime() - start) / 1e9);
        result.put("timings", timings);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("rss_bytes", PeakMemory.peakRssBytes());
        memory.put("heap_bytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        result.put("peak_memory", memory);
        result.trial(trial);
        result.put("tool_version", ToolVersion.get());
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("seed", trial.seed);
        seeds.put("split_seed", trial.task != null && trial.task.splitSeed != null ? trial.task.splitSeed : TaskLoader.DEFAULT_SPLIT_SEED);
        result.put("seeds", seeds);
        Map<String, Object> checksums = new LinkedHashMap<>();
        checksums.put("model", modelChecksum);
        checksums.put("train_data", task == null ? null : task.trainChecksum());
        checksums.put("dev_data", task == null ? null : task.devChecksum());
        result.put("checksums", checksums);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("device", device == null ? trial.device : device.toString());
        env.put("threads", engine == null ? null : ai.djl.pytorch.jni.JniUtils.getNumThreads());
        env.put("engine", engine == null ? null : engine.getEngineName() + " " + engine.getVersion());
        env.put("djl", ai.djl.engine.Engine.getDjlVersion());
        env.put("java", System.getProperty("java.version"));
        env.put("cuda_visible_devices", System.getenv("CUDA_VISIBLE_DEVICES"));
        result.put("environment", env);
        return result;
    }

    /** Total and trainable parameters of the model as built (adapters included), as result.json reports them. */
    static Map<String, Object> parameterCounts(SequenceClassifier model, AdaptationMethod method) {
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

    /** Writes the result where the engine expects it. */
    public static void write(TrialResult result, Path outDir) throws java.io.IOException {
        Files.createDirectories(outDir);
        result.write(outDir.resolve("result.json"));
    }
}
