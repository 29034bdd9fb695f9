package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.trainers.data.TaskDefinition;
import dev.robustsweep.trainers.commonsense.CommonsenseLoader;
import dev.robustsweep.trainers.commonsense.CommonsenseTask;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a grid file's structure before anything runs: known keys, value types, non-empty axes,
 * method names, and turns it into a {@link SweepGrid}. Every problem is collected (none stops the
 * check early); {@link #check} throws one {@link GridException} listing them all with file, line,
 * column and key. Value ranges (positive rates, ranks, ...) are checked per expanded trial by the
 * trainer's own {@link TrialConfig#validate()} (see {@link TrialExpander}); data files and model
 * folders by {@link GridResources}.
 */
public final class GridValidator {
    public static final List<String> TOP_KEYS = List.of("name", "description", "model", "data_dir", "tasks", "methods", "grid",
            "settings", "limits", "execution");
    public static final List<String> LIMIT_KEYS = List.of("max_train_samples", "max_eval_samples");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GridFile grid;
    private final Path baseDir;
    private final TrialSchema schema = TrialSchema.get();
    private final List<GridError> errors = new ArrayList<>();

    private GridValidator(GridFile grid) {
        this.grid = grid;
        this.baseDir = grid.file().toAbsolutePath().getParent();
    }

    /** Structure only: returns the grid, and adds problems to {@code errors}. */
    public static SweepGrid structure(GridFile grid, List<GridError> errors) {
        GridValidator v = new GridValidator(grid);
        SweepGrid out = v.build();
        errors.addAll(v.errors);
        return out;
    }

    /** Reads, checks and expands a grid file: structure, data files, model folders, every trial. */
    public static ValidatedGrid check(GridFile grid) {
        List<GridError> errors = new ArrayList<>();
        SweepGrid sweep = structure(grid, errors);
        GridResources resources = sweep == null ? null : GridResources.check(sweep, errors);
        TrialExpander.Expansion expansion = sweep == null ? null : TrialExpander.expand(sweep);
        if (expansion != null) errors.addAll(expansion.errors());
        if (expansion != null && resources != null) errors.addAll(resources.sequenceLengthProblems(sweep, expansion.trials()));
        if (!errors.isEmpty()) throw new GridException(dedupe(errors));
        return new ValidatedGrid(sweep, expansion.trials(), resources);
    }

    private static List<GridError> dedupe(List<GridError> errors) {
        Set<String> seen = new HashSet<>();
        List<GridError> out = new ArrayList<>();
        for (GridError e : errors) if (seen.add(e.format())) out.add(e);
        out.sort((a, b) -> a.location().line() != b.location().line() ? Integer.compare(a.location().line(), b.location().line())
                : Integer.compare(a.location().column(), b.location().column()));
        return out;
    }

    private SweepGrid build() {
        JsonNode root = grid.root();
        if (!root.isObject()) {
            errors.add(grid.error("", "expected a mapping with keys " + TOP_KEYS + ", found " + TrialSchema.found(root)));
            return null;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_KEYS.contains(k)) errors.add(grid.keyError(k, "unknown key, expected one of " + TOP_KEYS + Suggestions.hint(k, TOP_KEYS)));
        }
        String name = name(root.get("name"));
        Map<String, SourcedValue> settings = new LinkedHashMap<>();
        // static settings in override order: model and data_dir at the top, settings, then limits
        settings.put("model", new SourcedValue(NODES.textNode("minilm-l6"), "model"));
        settings.put("data_dir", new SourcedValue(NODES.textNode(defaultDataDir().toString()), "data_dir"));
        for (String k : List.of("model", "data_dir")) {
            JsonNode v = root.get(k);
            if (v == null) continue;
            if (!v.isTextual() || v.asText().isBlank()) errors.add(grid.error(k, "expected a " + (k.equals("model") ? "model name (minilm-l6) or model folder path" : "folder path") + ", found " + TrialSchema.found(v)));
            else settings.put(k, new SourcedValue(v, k));
        }
        JsonNode s = root.get("settings");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) errors.add(grid.error("settings", "expected a mapping of trial parameters (epochs: 3, lora: {r: 8}, ...), found " + TrialSchema.found(s)));
            else params(s, "settings", settings, Set.of());
        }
        JsonNode limits = root.get("limits");
        if (limits != null && !limits.isNull()) {
            if (!limits.isObject()) errors.add(grid.error("limits", "expected a mapping with " + LIMIT_KEYS + ", found " + TrialSchema.found(limits)));
            else {
                for (Iterator<String> it = limits.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!LIMIT_KEYS.contains(k)) errors.add(grid.keyError("limits." + k, "unknown key in limits, expected one of " + LIMIT_KEYS + Suggestions.hint(k, LIMIT_KEYS)));
                }
                ObjectNode known = NODES.objectNode();
                for (String k : LIMIT_KEYS) if (limits.has(k)) known.set(k, limits.get(k));
                params(known, "limits", settings, Set.of());
            }
        }
        List<GridTask> tasks = tasks(root.get("tasks"));
        List<Axis> axes = axes(root.get("grid"), "grid");
        for (Axis a : axes) {
            SourcedValue clash = settings.get(a.param());
            if (clash != null && !clash.path().equals(a.param()) || clash != null && root.has(a.param())) {
                errors.add(grid.error(clash.path(), "'" + a.param() + "' is also a grid axis (" + a.path() + "); give it in one place"));
            }
        }
        List<MethodVariant> methods = methods(root.get("methods"), axes);
        ExecutionSettings execution = ExecutionSettings.fromGrid(grid, root.get("execution"), "execution", errors);
        resolvePaths(settings);
        for (Axis a : axes) resolveAxisPaths(a);
        for (MethodVariant m : methods) {
            resolvePaths(m.params());
            for (Axis a : m.axes()) resolveAxisPaths(a);
        }
        if (name == null || tasks.isEmpty() || methods.isEmpty()) return null;
        return new SweepGrid(grid, name, tasks, methods, axes, settings, execution);
    }

    private String name(JsonNode v) {
        if (v == null) {
            errors.add(grid.error("", "missing key 'name' (the sweep's name; its run folder is runs/<name>)"));
            return null;
        }
        if (!v.isTextual() || !v.asText().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}")) {
            errors.add(grid.error("name", "expected a name of letters, digits, '.', '_' or '-' (used as a folder name), found " + TrialSchema.found(v)));
            return null;
        }
        return v.asText();
    }

    private static Path defaultDataDir() {
        String home = System.getProperty("robustsweep.home");
        return (home != null ? Path.of(home) : Path.of("")).toAbsolutePath().resolve("data").normalize();
    }

    /** Reads trial parameters from a mapping (nested blocks, dotted keys and shorthands) into canonical entries. */
    private void params(JsonNode obj, String path, Map<String, SourcedValue> out, Set<String> reserved) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            if (reserved.contains(key)) continue;
            String p = GridFile.child(path, key);
            TrialSchema.Param param = schema.resolve(key);
            if (param == null) {
                String why = TrialSchema.ENGINE_KEYS.contains(key) ? "is set by the engine (tasks, methods and execution set it)" : "unknown trial parameter";
                List<String> names = new ArrayList<>(schema.allNames());
                names.addAll(reserved);
                errors.add(grid.keyError(p, why + ", expected one of the trial file's keys (docs/schemas.md)" + Suggestions.hint(key, names)));
                continue;
            }
            JsonNode v = f.getValue();
            if (param.kind() == TrialSchema.Kind.BLOCK) {
                if (!v.isObject()) {
                    errors.add(grid.error(p, "expected a mapping of " + param.name() + " settings " + schema.blockKeys(param.name()) + ", found " + TrialSchema.found(v)));
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> sub = v.fields(); sub.hasNext(); ) {
                    Map.Entry<String, JsonNode> sf = sub.next();
                    String sp = GridFile.child(p, sf.getKey());
                    TrialSchema.Param sparam = schema.inBlock(param.name(), sf.getKey());
                    if (sparam == null) {
                        errors.add(grid.keyError(sp, "unknown key in " + param.name() + ", expected one of " + schema.blockKeys(param.name())
                                + Suggestions.hint(sf.getKey(), schema.blockKeys(param.name()))));
                        continue;
                    }
                    put(sparam, sf.getValue(), sp, out);
                }
                continue;
            }
            put(param, v, p, out);
        }
    }

    private void put(TrialSchema.Param param, JsonNode v, String path, Map<String, SourcedValue> out) {
        String problem = TrialSchema.typeProblem(param, v);
        if (problem != null) {
            if (v.isArray() && param.kind() != TrialSchema.Kind.STRING_LIST) problem += " (to sweep over values, put " + param.name() + " under grid:)";
            errors.add(grid.error(path, problem));
            return;
        }
        out.put(param.name(), new SourcedValue(v, path));
    }

    private List<GridTask> tasks(JsonNode v) {
        List<GridTask> out = new ArrayList<>();
        if (v == null) {
            errors.add(grid.error("", "missing key 'tasks' (a list of task names " + new TreeSet<>(TaskDefinition.BUILTIN.keySet()) + " or custom task definitions)"));
            return out;
        }
        if (v.isTextual()) v = NODES.arrayNode().add(v);
        if (!v.isArray() || v.isEmpty()) {
            errors.add(grid.error("tasks", "expected a non-empty list of tasks, found " + TrialSchema.found(v)));
            return out;
        }
        Set<String> names = new HashSet<>();
        List<String> allSpecKeys = List.of("name", "format", "train", "dev", "text_fields", "label_field", "label_map", "header", "dev_fraction", "split_seed",
                "train_mix", "eval_tasks");
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            String p = GridFile.index("tasks", i);
            TaskSpec spec;
            if (t.isTextual()) {
                spec = new TaskSpec();
                spec.name = t.asText();
            } else if (t.isObject()) {
                boolean ok = true;
                for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!allSpecKeys.contains(k)) {
                        errors.add(grid.keyError(GridFile.child(p, k), "unknown key in a task, expected one of " + allSpecKeys + Suggestions.hint(k, allSpecKeys)));
                        ok = false;
                    }
                }
                if (!ok) continue;
                try {
                    spec = TrialFiles.JSON.treeToValue(t, TaskSpec.class);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    errors.add(grid.error(p, "not a task definition: " + dev.robustsweep.trainers.trial.JsonProblem.describe(e)));
                    continue;
                }
            } else {
                errors.add(grid.error(p, "expected a task name " + new TreeSet<>(TaskDefinition.BUILTIN.keySet()) + " or a task definition, found " + TrialSchema.found(t)));
                continue;
            }
            if (spec.name == null || !spec.name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                errors.add(grid.error(t.isObject() ? GridFile.child(p, "name") : p, "expected a task name of letters, digits, '.', '_' or '-', found " + TrialSchema.found(t.isObject() ? t.get("name") : t)));
                continue;
            }
            if (CommonsenseTask.handles(spec.name) && spec.format == null) {
                // a decoder task (LLM-Adapters format): its own checks, each naming the key
                List<String> problems = CommonsenseLoader.check(spec);
                for (String problem : problems) errors.add(grid.error(p, problem));
                if (!problems.isEmpty()) continue;
            } else if (spec.trainMix != null || spec.evalTasks != null) {
                errors.add(grid.error(p, "task '" + spec.name + "': train_mix and eval_tasks belong to the commonsense tasks " + CommonsenseTask.BUILTIN.keySet()
                        + " and '" + CommonsenseTask.MIX + "'"));
                continue;
            } else try {
                TaskLoader.definition(spec);
            } catch (IllegalArgumentException e) {
                String hint = spec.format == null ? Suggestions.hint(spec.name, allTaskNames()) : "";
                errors.add(grid.error(p, e.getMessage() + hint));
                continue;
            }
            if (!names.add(spec.name)) {
                errors.add(grid.error(p, "task '" + spec.name + "' is listed twice"));
                continue;
            }
            out.add(new GridTask(spec, p));
        }
        return out;
    }

    /** Built-in task names: classification (encoders) and commonsense (decoders). */
    private static Set<String> allTaskNames() {
        Set<String> all = new TreeSet<>(TaskDefinition.BUILTIN.keySet());
        all.addAll(CommonsenseTask.BUILTIN.keySet());
        all.add(CommonsenseTask.MIX);
        return all;
    }

    private List<Axis> axes(JsonNode v, String path) {
        List<Axis> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (!v.isObject()) {
            errors.add(grid.error(path, "expected a mapping of axes (learning_rate: [3e-4, 5e-5], ...), found " + TrialSchema.found(v)));
            return out;
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = GridFile.child(path, f.getKey());
            TrialSchema.Param param = schema.resolve(f.getKey());
            if (param == null) {
                errors.add(grid.keyError(p, (TrialSchema.ENGINE_KEYS.contains(f.getKey()) ? "cannot be a grid axis (tasks and methods have their own keys)" : "unknown trial parameter")
                        + ", expected one of the trial file's keys (docs/schemas.md)" + Suggestions.hint(f.getKey(), schema.allNames())));
                continue;
            }
            if (param.kind() == TrialSchema.Kind.BLOCK && f.getValue().isObject()) {
                // nested form: lora: {r: [4, 8]}
                for (Iterator<Map.Entry<String, JsonNode>> sub = f.getValue().fields(); sub.hasNext(); ) {
                    Map.Entry<String, JsonNode> sf = sub.next();
                    String sp = GridFile.child(p, sf.getKey());
                    TrialSchema.Param sparam = schema.inBlock(param.name(), sf.getKey());
                    if (sparam == null) {
                        errors.add(grid.keyError(sp, "unknown key in " + param.name() + ", expected one of " + schema.blockKeys(param.name())
                                + Suggestions.hint(sf.getKey(), schema.blockKeys(param.name()))));
                        continue;
                    }
                    axis(sparam, sf.getValue(), sp, out, seen);
                }
                continue;
            }
            axis(param, f.getValue(), p, out, seen);
        }
        return out;
    }

    private void axis(TrialSchema.Param param, JsonNode v, String path, List<Axis> out, Map<String, String> seen) {
        if (seen.containsKey(param.name())) {
            errors.add(grid.keyError(path, "axis " + param.name() + " is given twice (also at " + seen.get(param.name()) + ")"));
            return;
        }
        seen.put(param.name(), path);
        if (!v.isArray() || (param.kind() == TrialSchema.Kind.STRING_LIST && !v.isEmpty() && !v.get(0).isArray())) {
            errors.add(grid.error(path, "expected a list of values to sweep" + (param.kind() == TrialSchema.Kind.STRING_LIST ? " (a list of lists here)" : "")
                    + ", found " + TrialSchema.found(v) + "; a single value belongs under settings:"));
            return;
        }
        if (v.isEmpty()) {
            errors.add(grid.error(path, "empty axis: expected at least one value"));
            return;
        }
        List<JsonNode> values = new ArrayList<>();
        Set<JsonNode> distinct = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String problem = TrialSchema.typeProblem(param, e);
            if (problem != null) {
                errors.add(grid.error(GridFile.index(path, i), problem));
                ok = false;
            } else if (!distinct.add(e.isNumber() ? NODES.numberNode(e.asDouble()) : e)) {
                errors.add(grid.error(GridFile.index(path, i), "duplicate value " + e + " in axis " + param.name()));
                ok = false;
            }
            values.add(e);
        }
        if (ok) out.add(new Axis(param.name(), path, values));
    }

    private List<MethodVariant> methods(JsonNode v, List<Axis> globalAxes) {
        List<MethodVariant> out = new ArrayList<>();
        List<String> methodNames = TrialConfig.METHODS.stream().sorted().toList();
        if (v == null) {
            errors.add(grid.error("", "missing key 'methods' (a list of " + methodNames + " or a mapping of named variants)"));
            return out;
        }
        List<String[]> entries = new ArrayList<>(); // name, path
        List<JsonNode> bodies = new ArrayList<>();
        if (v.isTextual()) v = NODES.arrayNode().add(v);
        if (v.isArray() && !v.isEmpty()) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                String p = GridFile.index("methods", i);
                if (!e.isTextual()) {
                    errors.add(grid.error(p, "expected a method name " + methodNames + ", found " + TrialSchema.found(e)
                            + " (named variants go in a mapping: methods: {my-variant: {method: lora, ...}})"));
                    continue;
                }
                entries.add(new String[] {e.asText(), p});
                bodies.add(NODES.nullNode());
            }
        } else if (v.isObject() && !v.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                entries.add(new String[] {f.getKey(), GridFile.child("methods", f.getKey())});
                bodies.add(f.getValue());
            }
        } else {
            errors.add(grid.error("methods", "expected a non-empty list of methods " + methodNames + " or a mapping of named variants, found " + TrialSchema.found(v)));
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = entries.get(i)[0];
            String p = entries.get(i)[1];
            JsonNode body = bodies.get(i);
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
                errors.add(grid.keyError(p, "expected a method name of letters, digits, '.', '_', '+' or '-', found '" + name + "'"));
                continue;
            }
            if (!names.add(name)) {
                errors.add(grid.error(p, "method '" + name + "' is listed twice"));
                continue;
            }
            if (!body.isNull() && !body.isObject()) {
                errors.add(grid.error(p, "expected a mapping ({method: lora, r: 16, ...}) or nothing, found " + TrialSchema.found(body)));
                continue;
            }
            String method = name;
            if (body.has("method")) {
                JsonNode m = body.get("method");
                if (!m.isTextual()) {
                    errors.add(grid.error(GridFile.child(p, "method"), "expected one of " + methodNames + ", found " + TrialSchema.found(m)));
                    continue;
                }
                method = m.asText();
                if (!TrialConfig.METHODS.contains(method)) {
                    errors.add(grid.error(GridFile.child(p, "method"), "unknown method '" + method + "', expected one of " + methodNames + Suggestions.hint(method, methodNames)));
                    continue;
                }
            } else if (!TrialConfig.METHODS.contains(name)) {
                errors.add(grid.keyError(p, "unknown method '" + name + "', expected one of " + methodNames + Suggestions.hint(name, methodNames)
                        + "; a named variant needs 'method:' (e.g. " + name + ": {method: lora, ...})"));
                continue;
            }
            Map<String, SourcedValue> params = new LinkedHashMap<>();
            List<Axis> axes = List.of();
            if (body.isObject()) {
                params(body, p, params, Set.of("method", "grid"));
                axes = axes(body.get("grid"), GridFile.child(p, "grid"));
                for (String param : params.keySet()) {
                    boolean global = globalAxes.stream().anyMatch(a -> a.param().equals(param));
                    if (global && axes.stream().noneMatch(a -> a.param().equals(param))) {
                        errors.add(grid.error(params.get(param).path(), "'" + param + "' is also a grid axis; to sweep other values for this method, give "
                                + GridFile.child(p, "grid") + "." + param + ": [...]"));
                    }
                }
            }
            out.add(new MethodVariant(name, method, p, params, axes));
        }
        return out;
    }

    private void resolvePaths(Map<String, SourcedValue> params) {
        for (String k : List.of("model", "data_dir")) {
            SourcedValue sv = params.get(k);
            if (sv != null && sv.value().isTextual()) params.put(k, new SourcedValue(NODES.textNode(resolvePath(k, sv.value().asText())), sv.path()));
        }
    }

    private void resolveAxisPaths(Axis a) {
        if (!a.param().equals("model") && !a.param().equals("data_dir")) return;
        for (int i = 0; i < a.values().size(); i++) {
            JsonNode v = a.values().get(i);
            if (v.isTextual()) a.values().set(i, NODES.textNode(resolvePath(a.param(), v.asText())));
        }
    }

    /** Model and data folders: relative to the grid file's folder; "minilm-l6", "tiny-llama" and "~/" as usual. */
    private String resolvePath(String key, String value) {
        if (key.equals("model") && (value.equals("minilm-l6") || value.equals(dev.robustsweep.trainers.weights.TinyLlama.ID))) return value;
        String v = value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value;
        return baseDir.resolve(v).normalize().toString();
    }

}
