package dev.robustsweep.trainers.data;

import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.weights.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reads a task's train and dev examples. A single file is split into train and dev only when the
 * task says so: a built-in task without a train file (BoolQ here: only val.jsonl ships) splits its
 * dev file, and a task with {@code dev_fraction} and no dev file splits its train file. The split
 * shuffles the file's rows with split_seed (default 0) and makes the first ceil(dev_fraction * n)
 * rows (default 0.2) dev, the rest train, identically for every trial. Any named file that is
 * missing, unreadable or holds no example is an error naming it: nothing falls back.
 */
public final class TaskLoader {
    public static final double DEFAULT_DEV_FRACTION = 0.2;
    public static final long DEFAULT_SPLIT_SEED = 0;

    private TaskLoader() {}

    /** Resolves a task spec (built-in or custom) against the data root. */
    public static TaskDefinition definition(TaskSpec spec) {
        TaskDefinition builtin = TaskDefinition.BUILTIN.get(spec.name);
        if (spec.format == null) {
            if (builtin == null) {
                throw new IllegalArgumentException("task '" + spec.name + "': not a built-in task " + TaskDefinition.BUILTIN.keySet().stream().sorted().toList()
                        + "; a custom task needs format, train, text_fields, label_field and label_map");
            }
            if (spec.train == null && spec.dev == null) return checkSplit(spec, builtin);
            return checkSplit(spec, new TaskDefinition(builtin.name(), builtin.format(), spec.train != null ? spec.train : builtin.train(),
                    spec.dev != null ? spec.dev : builtin.dev(), builtin.header(), builtin.textFields(),
                    builtin.labelField(), builtin.labelMap(), builtin.prefixField()));
        }
        List<String> missing = new ArrayList<>();
        if (!List.of("tsv", "jsonl").contains(spec.format)) missing.add("format (tsv or jsonl, got '" + spec.format + "')");
        if (spec.train == null) missing.add("train");
        if (spec.textFields == null || spec.textFields.isEmpty() || spec.textFields.size() > 2) missing.add("text_fields (one or two)");
        if (spec.labelField == null) missing.add("label_field");
        if (spec.labelMap == null || spec.labelMap.isEmpty()) missing.add("label_map");
        if (!missing.isEmpty()) throw new IllegalArgumentException("task '" + spec.name + "': custom task needs " + String.join(", ", missing));
        return checkSplit(spec, new TaskDefinition(spec.name, spec.format, spec.train, spec.dev,
                spec.header != null ? spec.header : "tsv".equals(spec.format), spec.textFields, spec.labelField, spec.labelMap, null));
    }

    /** Which single file is split, or null when the task has a train and a dev file. */
    static String splitFile(TaskDefinition def) {
        if (def.train() == null) return def.dev();
        return def.dev() == null ? def.train() : null;
    }

    /** A split must be asked for: dev_fraction with a train file only, or a built-in without train file. */
    private static TaskDefinition checkSplit(TaskSpec spec, TaskDefinition def) {
        String task = "task '" + spec.name + "': ";
        if (spec.devFraction != null && !(spec.devFraction > 0 && spec.devFraction < 1)) {
            throw new IllegalArgumentException(task + "dev_fraction must be in (0, 1), got " + spec.devFraction);
        }
        if (def.train() != null && def.dev() == null && spec.devFraction == null) {
            throw new IllegalArgumentException(task + "no dev file: give 'dev', or 'dev_fraction' to hold out part of the train file " + def.train());
        }
        if (def.train() != null && def.dev() != null && (spec.devFraction != null || spec.splitSeed != null)) {
            throw new IllegalArgumentException(task + (spec.devFraction != null ? "dev_fraction" : "split_seed")
                    + " splits a single file, but the task has both a train file (" + def.train() + ") and a dev file (" + def.dev() + ")");
        }
        return def;
    }

    public static TaskData load(TaskSpec spec, Path dataDir) {
        TaskDefinition def = definition(spec);
        String single = splitFile(def);
        TaskData data;
        if (single == null) {
            Path train = dataDir.resolve(def.train());
            Path dev = dataDir.resolve(def.dev());
            data = new TaskData(def.name(), nonEmpty(read(def, train), train), nonEmpty(read(def, dev), dev), def.numLabels(), checksum(train), checksum(dev));
        } else {
            // the task asked for a split of one file (dev_fraction, or a built-in that ships no train file)
            Path only = dataDir.resolve(single);
            List<Example> all = nonEmpty(read(def, only), only);
            double fraction = spec.devFraction != null ? spec.devFraction : DEFAULT_DEV_FRACTION;
            long seed = spec.splitSeed != null ? spec.splitSeed : DEFAULT_SPLIT_SEED;
            int[] order = permutation(all.size(), seed);
            int nDev = (int) Math.ceil(fraction * all.size());
            List<Example> devExamples = new ArrayList<>();
            List<Example> trainExamples = new ArrayList<>();
            for (int i = 0; i < order.length; i++) (i < nDev ? devExamples : trainExamples).add(all.get(order[i]));
            if (trainExamples.isEmpty() || devExamples.isEmpty()) {
                throw new DataFormatException(only, 0, all.size() + " example(s) cannot be split into train and dev (dev_fraction " + fraction + ")");
            }
            String sum = checksum(only);
            data = new TaskData(def.name(), trainExamples, devExamples, def.numLabels(),
                    sum + "#split(seed=" + seed + ",dev_fraction=" + fraction + ",part=train)",
                    sum + "#split(seed=" + seed + ",dev_fraction=" + fraction + ",part=dev)");
        }
        return data;
    }

    private static List<Example> nonEmpty(List<Example> examples, Path file) {
        if (examples.isEmpty()) throw new DataFormatException(file, 0, "no examples (only a header or blank lines)");
        return examples;
    }

    /** Fisher-Yates permutation of 0..n-1 from a seed. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    static List<Example> read(TaskDefinition def, Path file) {
        return "tsv".equals(def.format()) ? readTsv(def, file) : readJsonl(def, file);
    }

    private static List<Example> readTsv(TaskDefinition def, Path file) {
        Map<String, Integer> columns = new HashMap<>();
        if (def.header()) {
            String[] names = TsvFile.header(file);
            for (int i = 0; i < names.length; i++) columns.put(names[i].strip(), i);
        }
        int[] textCols = def.textFields().stream().mapToInt(f -> column(def, file, columns, f)).toArray();
        int labelCol = column(def, file, columns, def.labelField());
        int needed = Math.max(labelCol, java.util.Arrays.stream(textCols).max().orElse(0)) + 1;
        List<Example> out = new ArrayList<>();
        for (TsvFile.Row row : TsvFile.read(file, def.header())) {
            String[] f = row.fields();
            if (f.length < needed) {
                throw new DataFormatException(file, row.line(), "row has " + f.length + " tab-separated columns, expected at least " + needed);
            }
            int label = label(def, file, row.line(), f[labelCol].strip());
            out.add(new Example(f[textCols[0]], textCols.length > 1 ? f[textCols[1]] : null, label));
        }
        return out;
    }

    private static int column(TaskDefinition def, Path file, Map<String, Integer> columns, String field) {
        if (columns.containsKey(field)) return columns.get(field);
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, 1, "no column '" + field + "' (header has " + columns.keySet() + ")");
        }
    }

    private static List<Example> readJsonl(TaskDefinition def, Path file) {
        List<Example> out = new ArrayList<>();
        for (JsonlFile.Row row : JsonlFile.read(file)) {
            String text = JsonlFile.text(file, row, def.textFields().get(0));
            if (def.prefixField() != null) text = JsonlFile.text(file, row, def.prefixField()) + ": " + text;
            String pair = def.textFields().size() > 1 ? JsonlFile.text(file, row, def.textFields().get(1)) : null;
            String labelValue = JsonlFile.text(file, row, def.labelField());
            out.add(new Example(text, pair, label(def, file, row.line(), labelValue)));
        }
        return out;
    }

    private static int label(TaskDefinition def, Path file, int line, String value) {
        Integer label = def.labelMap().get(value);
        if (label == null) {
            throw new DataFormatException(file, line, "unknown label '" + value + "' in column/field '" + def.labelField()
                    + "', expected one of " + def.labelMap().keySet().stream().sorted().toList());
        }
        return label;
    }

    private static String checksum(Path file) {
        try {
            return ModelFolder.sha256(file);
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }
}
