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
 * Reads a task's train and dev examples. A task with one file only (BoolQ here: val.jsonl) gets a
 * seeded split: the file's rows are shuffled with split_seed (default 0) and the first
 * ceil(dev_fraction * n) rows (default 0.2) become dev, the rest train, identically for every trial.
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
            if (spec.train == null && spec.dev == null) return builtin;
            return new TaskDefinition(builtin.name(), builtin.format(), spec.train != null ? spec.train : builtin.train(),
                    spec.dev != null ? spec.dev : builtin.dev(), builtin.header(), builtin.textFields(),
                    builtin.labelField(), builtin.labelMap(), builtin.prefixField());
        }
        List<String> missing = new ArrayList<>();
        if (!List.of("tsv", "jsonl").contains(spec.format)) missing.add("format (tsv or jsonl, got '" + spec.format + "')");
        if (spec.train == null) missing.add("train");
        if (spec.textFields == null || spec.textFields.isEmpty() || spec.textFields.size() > 2) missing.add("text_fields (one or two)");
        if (spec.labelField == null) missing.add("label_field");
        if (spec.labelMap == null || spec.labelMap.isEmpty()) missing.add("label_map");
        if (!missing.isEmpty()) throw new IllegalArgumentException("task '" + spec.name + "': custom task needs " + String.join(", ", missing));
        return new TaskDefinition(spec.name, spec.format, spec.train, spec.dev,
                spec.header != null ? spec.header : "tsv".equals(spec.format), spec.textFields, spec.labelField, spec.labelMap, null);
    }

    public static TaskData load(TaskSpec spec, Path dataDir) {
        TaskDefinition def = definition(spec);
        Path train = dataDir.resolve(def.train());
        Path dev = def.dev() == null ? null : dataDir.resolve(def.dev());
        List<Example> trainExamples;
        List<Example> devExamples;
        String trainSum;
        String devSum;
        if (Files.isRegularFile(train) && dev != null) {
            trainExamples = read(def, train);
            devExamples = read(def, dev);
            trainSum = checksum(train);
            devSum = checksum(dev);
        } else {
            // one file only: a seeded split of whichever exists
            Path only = Files.isRegularFile(train) ? train : dev;
            if (only == null || !Files.isRegularFile(only)) {
                throw new DataFormatException(train, 0, "file not found" + (dev != null ? " (nor " + dev + ")" : ""));
            }
            List<Example> all = read(def, only);
            double fraction = spec.devFraction != null ? spec.devFraction : DEFAULT_DEV_FRACTION;
            long seed = spec.splitSeed != null ? spec.splitSeed : DEFAULT_SPLIT_SEED;
            if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("task '" + spec.name + "': dev_fraction must be in (0, 1), got " + fraction);
            int[] order = permutation(all.size(), seed);
            int nDev = (int) Math.ceil(fraction * all.size());
            devExamples = new ArrayList<>();
            trainExamples = new ArrayList<>();
            for (int i = 0; i < order.length; i++) (i < nDev ? devExamples : trainExamples).add(all.get(order[i]));
            trainSum = checksum(only) + "#split(seed=" + seed + ",dev_fraction=" + fraction + ",part=train)";
            devSum = checksum(only) + "#split(seed=" + seed + ",dev_fraction=" + fraction + ",part=dev)";
        }
        return new TaskData(def.name(), trainExamples, devExamples, def.numLabels(), trainSum, devSum);
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
