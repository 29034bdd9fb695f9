package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands a grid into trials: tasks x method variants x the cartesian product of the axes (the
 * first axis varies slowest). Settings apply in this order, later ones winning: the trial file's
 * defaults, top-level model/data_dir, {@code settings}, {@code limits}, the variant's own keys, the
 * axis values. Each trial is bound to the trainer's {@link TrialConfig} and checked by its
 * {@link TrialConfig#validate()}; a problem is reported at the grid line that set the offending
 * value (the same problem in many trials is reported once).
 */
public final class TrialExpander {
    /** The trials (in expansion order) and the problems found in them. */
    public record Expansion(List<TrialConfig> trials, List<GridError> errors) {}

    private TrialExpander() {}

    public static Expansion expand(SweepGrid sweep) {
        GridFile grid = sweep.source();
        String device = sweep.execution().gpu() ? "gpu" : "cpu";
        int threads = sweep.execution().effectiveThreads();
        // list the grid's cells in expansion order, then build and check them in parallel (order kept)
        List<Cell> cells = new ArrayList<>();
        for (GridTask task : sweep.tasks()) {
            JsonNode taskNode = TrialFiles.JSON.valueToTree(task.spec());
            for (MethodVariant variant : sweep.methods()) {
                ObjectNode base = TrialFiles.JSON.createObjectNode();
                sweep.settings().forEach((k, sv) -> set(base, k, sv.value()));
                variant.params().forEach((k, sv) -> set(base, k, sv.value()));
                base.put("sweep", sweep.name());
                base.set("task", taskNode);
                base.put("method", variant.method());
                base.put("method_name", variant.name());
                base.put("device", device);
                base.put("threads", threads);
                List<Axis> axes = sweep.axesFor(variant);
                int[] index = new int[axes.size()];
                do {
                    cells.add(new Cell(task, variant, axes, index.clone(), base));
                } while (advance(index, axes));
            }
        }
        List<Built> built = cells.parallelStream().map(c -> build(grid, sweep, c)).toList();
        List<TrialConfig> trials = new ArrayList<>(cells.size());
        List<GridError> errors = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (Built b : built) {
            errors.addAll(b.errors());
            if (b.trial() == null) continue;
            String clash = ids.putIfAbsent(b.trial().trialId, b.cell().variant().path());
            if (clash != null) {
                errors.add(grid.error(b.cell().variant().path(), "gives the same trial as " + clash + " (" + b.trial().trialId + "); remove the duplicate"));
                continue;
            }
            trials.add(b.trial());
        }
        return new Expansion(trials, errors);
    }

    /** One grid cell: a task, a variant, and an index into each of the variant's axes. */
    private record Cell(GridTask task, MethodVariant variant, List<Axis> axes, int[] index, ObjectNode base) {}

    /** A built trial (null when it could not be bound) and its problems. */
    private record Built(Cell cell, TrialConfig trial, List<GridError> errors) {}

    private static Built build(GridFile grid, SweepGrid sweep, Cell c) {
        ObjectNode node = c.base().deepCopy();
        ObjectNode point = node.putObject("grid_point");
        for (int a = 0; a < c.axes().size(); a++) {
            JsonNode v = typed(c.axes().get(a).param(), c.axes().get(a).values().get(c.index()[a]));
            set(node, c.axes().get(a).param(), v);
            point.set(c.axes().get(a).param(), v);
        }
        List<GridError> errors = new ArrayList<>();
        TrialConfig trial;
        try {
            trial = TrialFiles.JSON.treeToValue(node, TrialConfig.class);
        } catch (Exception e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? dev.robustsweep.trainers.trial.JsonProblem.describe(j) : e.getMessage().lines().findFirst().orElse("");
            errors.add(grid.error(c.variant().path(), "cannot build a trial: " + why));
            return new Built(c, null, errors);
        }
        trial.trialId = TrialId.of(trial);
        for (String problem : trial.validate()) {
            int colon = problem.indexOf(": ");
            String key = colon > 0 ? problem.substring(0, colon) : "";
            String message = colon > 0 ? problem.substring(colon + 2) : problem;
            String path = source(sweep, c.task(), c.variant(), c.axes(), c.index(), key);
            errors.add(path == null ? grid.error(c.variant().path(), key + " (default value): " + message) : grid.error(path, message));
        }
        return new Built(c, trial, errors);
    }

    /** The grid path that set {@code key} in this trial: an axis value, the variant, or the settings; null for a default. */
    private static String source(SweepGrid sweep, GridTask task, MethodVariant variant, List<Axis> axes, int[] index, String key) {
        if (key.startsWith("task")) return task.path();
        for (int a = 0; a < axes.size(); a++) {
            String p = axes.get(a).param();
            if (p.equals(key) || p.startsWith(key + ".") || key.startsWith(p + ".")) return axes.get(a).valuePath(index[a]);
        }
        for (Map<String, SourcedValue> layer : List.of(variant.params(), sweep.settings())) {
            for (Map.Entry<String, SourcedValue> e : layer.entrySet()) {
                if (e.getKey().equals(key) || e.getKey().startsWith(key + ".")) return e.getValue().path();
            }
        }
        return null;
    }

    /** Sets a canonical parameter (learning_rate, lora.r) in a trial tree; a block value merges into the block. */
    static void set(ObjectNode node, String param, JsonNode value) {
        int dot = param.indexOf('.');
        if (dot < 0) {
            if (value.isObject() && node.get(param) instanceof ObjectNode existing) existing.setAll((ObjectNode) value.deepCopy());
            else node.set(param, value);
            return;
        }
        String block = param.substring(0, dot);
        ObjectNode b = node.get(block) instanceof ObjectNode o ? o : node.putObject(block);
        b.set(param.substring(dot + 1), value);
    }

    /** Numbers as their parameter's type, so that 8 and 8.0 (or 1 and 1.0 for a rate) are the same grid point. */
    private static JsonNode typed(String param, JsonNode v) {
        if (!v.isNumber()) return v;
        TrialSchema.Param p = TrialSchema.get().resolve(param);
        if (p == null) return v;
        if (p.kind() == TrialSchema.Kind.INTEGER) return com.fasterxml.jackson.databind.node.LongNode.valueOf(v.asLong()).canConvertToInt()
                ? com.fasterxml.jackson.databind.node.IntNode.valueOf(v.asInt()) : com.fasterxml.jackson.databind.node.LongNode.valueOf(v.asLong());
        if (p.kind() == TrialSchema.Kind.NUMBER) return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(v.asDouble());
        return v;
    }

    private static boolean advance(int[] index, List<Axis> axes) {
        for (int a = axes.size() - 1; a >= 0; a--) {
            if (++index[a] < axes.get(a).values().size()) return true;
            index[a] = 0;
        }
        return false;
    }
}
