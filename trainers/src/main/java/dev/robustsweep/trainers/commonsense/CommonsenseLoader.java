package dev.robustsweep.trainers.commonsense;

import dev.robustsweep.trainers.data.DataFormatException;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.weights.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a commonsense task's records under data_dir (the authors' layout, commonsense/&lt;folder&gt;/
 * train.json and test.json; see data/SOURCES.md).
 * <ul>
 *   <li>{@code cs-<task>}: trains on its train.json ({@code train} overrides), evaluates on its test.json
 *       ({@code dev} overrides) or on {@code eval_tasks}.</li>
 *   <li>{@code commonsense}, the paper's study: trains on {@code train} (a user's commonsense_15k.json,
 *       path relative to data_dir) or on a seeded mix {@code train_mix: {cs-boolq: N, ...}}: from each
 *       task's train.json, the first N records of a permutation seeded by split_seed and the task's
 *       position in the mix, then the whole mix shuffled with split_seed. Evaluates on
 *       {@code eval_tasks}, default the paper's six (PIQA, SIQA, WinoGrande, ARC-e, ARC-c, OBQA).</li>
 * </ul>
 */
public final class CommonsenseLoader {
    private CommonsenseLoader() {}

    /** Every problem with a commonsense task spec that needs no file (grid validation), each naming its key. */
    public static List<String> check(TaskSpec spec) {
        List<String> errors = new ArrayList<>();
        String p = "task '" + spec.name + "': ";
        if (spec.format != null || spec.textFields != null || spec.labelField != null || spec.labelMap != null || spec.header != null) {
            errors.add(p + "format, text_fields, label_field, label_map and header are for classification tasks; commonsense files are LLM-Adapters JSON");
        }
        if (spec.devFraction != null) errors.add(p + "dev_fraction: commonsense tasks evaluate on their test.json, nothing is split");
        boolean mix = CommonsenseTask.MIX.equals(spec.name);
        if (mix) {
            if (spec.dev != null) errors.add(p + "dev: the study evaluates on eval_tasks (each task's test.json)");
            if (spec.train == null && (spec.trainMix == null || spec.trainMix.isEmpty())) {
                errors.add(p + "needs train (a file such as commonsense_15k.json) or train_mix (records per task, e.g. {cs-boolq: 500, cs-arc-e: 500})");
            }
            if (spec.train != null && spec.trainMix != null) errors.add(p + "train and train_mix: give one of them");
        } else if (spec.trainMix != null) {
            errors.add(p + "train_mix is for the study's mix task '" + CommonsenseTask.MIX + "'");
        }
        if (spec.trainMix != null) {
            for (Map.Entry<String, Integer> e : spec.trainMix.entrySet()) {
                if (!CommonsenseTask.BUILTIN.containsKey(e.getKey())) {
                    errors.add(p + "train_mix." + e.getKey() + ": not a commonsense task, expected some of " + CommonsenseTask.BUILTIN.keySet());
                } else if (e.getValue() == null || e.getValue() <= 0) {
                    errors.add(p + "train_mix." + e.getKey() + ": must be a positive number of records, got " + e.getValue());
                }
            }
        }
        if (spec.evalTasks != null) {
            if (spec.evalTasks.isEmpty()) errors.add(p + "eval_tasks: must name at least one task");
            for (String t : spec.evalTasks) {
                if (!CommonsenseTask.BUILTIN.containsKey(t)) errors.add(p + "eval_tasks: '" + t + "' is not a commonsense task, expected some of " + CommonsenseTask.BUILTIN.keySet());
            }
            if (spec.dev != null) errors.add(p + "dev and eval_tasks: give one of them");
        }
        return errors;
    }

    /** The evaluation tasks of a spec, in order. */
    public static List<String> evalTasks(TaskSpec spec) {
        if (spec.evalTasks != null) return spec.evalTasks;
        return CommonsenseTask.MIX.equals(spec.name) ? CommonsenseTask.PAPER_EVAL : List.of(spec.name);
    }

    public static CommonsenseData load(TaskSpec spec, Path dataDir) {
        List<String> errors = check(spec);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
        long seed = spec.splitSeed != null ? spec.splitSeed : TaskLoader.DEFAULT_SPLIT_SEED;
        List<InstructionRecord> train;
        String trainSum;
        if (spec.trainMix != null) {
            train = new ArrayList<>();
            StringBuilder sum = new StringBuilder();
            int position = 0;
            for (Map.Entry<String, Integer> e : spec.trainMix.entrySet()) {
                CommonsenseTask task = CommonsenseTask.BUILTIN.get(e.getKey());
                Path file = existing(dataDir.resolve(task.trainFile()), task);
                List<InstructionRecord> all = InstructionFile.read(file, task.id(), true);
                if (e.getValue() > all.size()) {
                    throw new DataFormatException(file, 0, "train_mix." + task.id() + ": " + e.getValue() + " records requested, the file has " + all.size());
                }
                int[] order = TaskLoader.permutation(all.size(), seed * 1_000_003L + position++);
                for (int i = 0; i < e.getValue(); i++) train.add(all.get(order[i]));
                sum.append(sum.length() == 0 ? "" : "+").append(task.id()).append(':').append(checksum(file)).append('x').append(e.getValue());
            }
            int[] order = TaskLoader.permutation(train.size(), seed);
            List<InstructionRecord> shuffled = new ArrayList<>(train.size());
            for (int i : order) shuffled.add(train.get(i));
            train = shuffled;
            trainSum = sum + "#mix(seed=" + seed + ")";
        } else {
            CommonsenseTask own = CommonsenseTask.BUILTIN.get(spec.name);
            Path file = spec.train != null ? dataDir.resolve(spec.train) : existing(dataDir.resolve(own.trainFile()), own);
            train = InstructionFile.read(file, own == null ? null : own.id(), true);
            trainSum = checksum(file);
        }
        Map<String, List<InstructionRecord>> eval = new LinkedHashMap<>();
        Map<String, String> evalSums = new LinkedHashMap<>();
        for (String id : evalTasks(spec)) {
            CommonsenseTask task = CommonsenseTask.BUILTIN.get(id);
            Path file = spec.dev != null ? dataDir.resolve(spec.dev) : dataDir.resolve(task.testFile());
            eval.put(id, InstructionFile.read(file, id, false));
            evalSums.put(id, checksum(file));
        }
        return new CommonsenseData(spec.name, train, eval, trainSum, evalSums);
    }

    private static Path existing(Path file, CommonsenseTask task) {
        if (!Files.isRegularFile(file)) {
            boolean testOnly = List.of("cs-piqa", "cs-siqa", "cs-winogrande", "cs-hellaswag").contains(task.id());
            throw new DataFormatException(file, 0, "file not found" + (testOnly ? " (" + task.id() + " ships its test file only here; train on task '"
                    + CommonsenseTask.MIX + "' with train: commonsense_15k.json, or point data_dir at a full copy)" : ""));
        }
        return file;
    }

    private static String checksum(Path file) {
        try {
            return ModelFolder.sha256(file);
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }
}
