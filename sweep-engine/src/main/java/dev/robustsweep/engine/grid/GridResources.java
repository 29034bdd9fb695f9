package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.trainers.commonsense.CommonsenseData;
import dev.robustsweep.trainers.commonsense.CommonsenseLoader;
import dev.robustsweep.trainers.commonsense.CommonsenseTask;
import dev.robustsweep.trainers.data.TaskData;
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
public record GridResources(Map<String, EncoderConfig> models, Map<String, TaskSize> data) {

    /** Examples of one task under one data folder. */
    public record TaskSize(int train, int dev) {}

    public static String dataKey(String task, String dataDir) {
        return task + "@" + dataDir;
    }

    public static GridResources check(SweepGrid sweep, List<GridError> errors) {
        GridFile grid = sweep.source();
        Map<String, String> models = values(sweep, "model");
        Map<String, String> dataDirs = values(sweep, "data_dir");
        Map<String, EncoderConfig> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : models.entrySet()) {
            try {
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
                        sizes.put(dataKey(t.name(), d.getKey()), new TaskSize(data.train().size(), data.evalSize()));
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
        return new GridResources(loaded, sizes);
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
