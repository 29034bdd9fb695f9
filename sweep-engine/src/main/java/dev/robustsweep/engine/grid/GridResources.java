package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.trainers.commonsense.CommonsenseData;
import dev.robustsweep.trainers.commonsense.CommonsenseLoader;
import dev.robustsweep.trainers.commonsense.CommonsenseTask;
import dev.robustsweep.trainers.commonsense.InstructionRecord;
import dev.robustsweep.trainers.data.TaskData;
import dev.robustsweep.trainers.model.decoder.DecoderConfig;
import dev.robustsweep.trainers.train.DecoderTrialRunner;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a grid needs, checked before anything runs: every model folder loads (config.json,
 * model.safetensors, tokenizer.json, via the trainer's {@link ModelFolder#load}) and every task's
 * data files exist and parse (via {@link TaskLoader#load}). Keeps the model shapes and data sizes
 * for the duration estimate.
 */
public record GridResources(Map<String, EncoderConfig> models, Map<String, DecoderConfig> decoders, Map<String, TaskSize> data) {

    /**
     * Examples of one task under one data folder; for commonsense tasks also the mean characters of a
     * training record's instruction and output, and of an evaluation record's (0 = not measured).
     */
    public record TaskSize(int train, int dev, double trainChars, double evalChars) {
        public TaskSize(int train, int dev) {
            this(train, dev, 0, 0);
        }
    }

    public static String dataKey(String task, String dataDir) {
        return task + "@" + dataDir;
    }

    public static GridResources check(SweepGrid sweep, List<GridError> errors) {
        GridFile grid = sweep.source();
        Map<String, String> models = values(sweep, "model");
        Map<String, String> dataDirs = values(sweep, "data_dir");
        Map<String, EncoderConfig> loaded = new LinkedHashMap<>();
        Map<String, DecoderConfig> decoders = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : models.entrySet()) {
            try {
                if (DecoderTrialRunner.isDecoder(m.getKey())) {
                    decoders.put(m.getKey(), DecoderFolder.load(TinyLlama.resolve(m.getKey())).config());
                    continue;
                }
                Path folder = EmbeddedMiniLm.resolve(m.getKey());
                loaded.put(m.getKey(), ModelFolder.load(folder).config());
            } catch (RuntimeException e) {
                errors.add(grid.error(m.getValue(), "model does not load: " + e.getMessage()));
            }
        }
        Map<String, TaskSize> sizes = new LinkedHashMap<>();
        for (GridTask t : sweep.tasks()) {
            for (Map.Entry<String, String> d : dataDirs.entrySet()) {
                try {
                    if (CommonsenseTask.handles(t.name()) && t.spec().format == null) {
                        CommonsenseData data = CommonsenseLoader.load(t.spec(), Path.of(d.getKey()));
                        double evalChars = data.eval().values().stream().flatMap(List::stream).mapToDouble(GridResources::chars).average().orElse(0);
                        sizes.put(dataKey(t.name(), d.getKey()), new TaskSize(data.train().size(), data.evalSize(),
                                data.train().stream().mapToDouble(GridResources::chars).average().orElse(0), evalChars));
                        continue;
                    }
                    TaskData data = TaskLoader.load(t.spec(), Path.of(d.getKey()));
                    sizes.put(dataKey(t.name(), d.getKey()), new TaskSize(data.train().size(), data.dev().size()));
                } catch (RuntimeException e) {
                    String where = d.getValue().equals("data_dir") && !grid.root().has("data_dir") ? " (data_dir defaults to " + d.getKey() + ")" : "";
                    errors.add(grid.error(t.path(), "task '" + t.name() + "': data not readable: " + e.getMessage() + where));
                }
            }
        }
        // model and task must be of the same kind: classification tasks for encoders, commonsense tasks for decoders
        for (GridTask t : sweep.tasks()) {
            boolean commonsense = CommonsenseTask.handles(t.name()) && t.spec().format == null;
            for (Map.Entry<String, String> m : models.entrySet()) {
                boolean decoder = decoders.containsKey(m.getKey());
                if (!loaded.containsKey(m.getKey()) && !decoder) continue; // already reported
                if (commonsense && !decoder) {
                    errors.add(grid.error(t.path(), "task '" + t.name() + "' is a commonsense task for decoder models, but model '" + m.getKey()
                            + "' is an encoder (use tiny-llama or a llama, mistral or qwen2 folder)"));
                } else if (!commonsense && decoder) {
                    errors.add(grid.error(t.path(), "task '" + t.name() + "' is a classification task for encoders, but model '" + m.getKey()
                            + "' is a decoder (decoders take the commonsense tasks " + CommonsenseTask.BUILTIN.keySet() + " or '" + CommonsenseTask.MIX + "')"));
                }
            }
        }
        if (!decoders.isEmpty()) {
            for (MethodVariant v : sweep.methods()) {
                if (dev.robustsweep.trainers.posthoc.PosthocEvaluation.METHODS.contains(v.method())) {
                    errors.add(grid.error(v.path(), "method '" + v.method() + "': the Bayesian post-hoc baselines calibrate classification heads;"
                            + " decoder models (" + String.join(", ", decoders.keySet()) + ") take full_ft, lora, dora, adalora, monteclora or adapter"));
                }
            }
        }
        return new GridResources(loaded, decoders, sizes);
    }

    private static double chars(InstructionRecord r) {
        return r.instruction().length() + r.input().length() + r.output().length();
    }

    /** Trials whose max_seq_length exceeds their model's positions (refused, never clamped), once per model and length. */
    public List<GridError> sequenceLengthProblems(SweepGrid sweep, List<TrialConfig> trials) {
        List<GridError> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TrialConfig t : trials) {
            EncoderConfig c = models.get(t.model);
            if (c == null || t.maxSeqLength <= c.maxSequenceLength() || !seen.add(t.model + "\u0000" + t.maxSeqLength)) continue;
            out.add(sweep.source().error(pathOf(sweep, "max_seq_length"), "max_seq_length " + t.maxSeqLength + " exceeds the "
                    + c.maxSequenceLength() + " positions of model " + t.model + " (max_position_embeddings " + c.maxPositionEmbeddings + ")"));
        }
        return out;
    }

    private static String pathOf(SweepGrid sweep, String param) {
        SourcedValue sv = sweep.settings().get(param);
        if (sv != null) return sv.path();
        for (MethodVariant v : sweep.methods()) {
            if (v.params().containsKey(param)) return v.params().get(param).path();
            for (Axis a : sweep.axesFor(v)) if (a.param().equals(param)) return a.path();
        }
        return "";
    }

    /** Every distinct value of a parameter across settings, variants and axes, with the grid path of its first use. */
    private static Map<String, String> values(SweepGrid sweep, String param) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Map<String, SourcedValue>> layers = new ArrayList<>();
        layers.add(sweep.settings());
        for (MethodVariant v : sweep.methods()) layers.add(v.params());
        for (MethodVariant v : sweep.methods()) {
            for (Axis a : sweep.axesFor(v)) {
                if (!a.param().equals(param)) continue;
                for (int i = 0; i < a.values().size(); i++) {
                    JsonNode n = a.values().get(i);
                    if (n.isTextual()) out.putIfAbsent(n.asText(), a.valuePath(i));
                }
            }
        }
        for (int i = layers.size() - 1; i >= 1; i--) {
            SourcedValue sv = layers.get(i).get(param);
            if (sv != null && sv.value().isTextual()) out.putIfAbsent(sv.value().asText(), sv.path());
        }
        boolean baseUsed = sweep.methods().stream().anyMatch(v -> !v.params().containsKey(param)
                && sweep.axesFor(v).stream().noneMatch(a -> a.param().equals(param)));
        SourcedValue base = sweep.settings().get(param);
        if (base != null && baseUsed) out.putIfAbsent(base.value().asText(), base.path());
        return out;
    }
}
