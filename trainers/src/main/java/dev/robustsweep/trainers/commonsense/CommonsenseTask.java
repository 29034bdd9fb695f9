package dev.robustsweep.trainers.commonsense;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A built-in commonsense-reasoning task in the LLM-Adapters instruction format: where its files lie
 * under data_dir (commonsense/&lt;folder&gt;/train.json, test.json, the authors' dataset/ layout) and the
 * pattern commonsense_evaluate.py extracts the answer with. Ids carry a "cs-" prefix so that they
 * never clash with the GLUE-style classification tasks (the classification {@code boolq} reads
 * SuperGLUE's BoolQ with its passage; {@code cs-boolq} is LLM-Adapters' question-only version).
 */
public record CommonsenseTask(String id, String folder, Pattern pattern) {
    /** The study's training mix: LLM-Adapters' commonsense_15k.json, or a seeded mix of the train files. */
    public static final String MIX = "commonsense";

    /** Every built-in task, in the paper's table order (Table 8: PIQA, SIQA, WinoGrande, ARC-e, ARC-c, OBQA), then BoolQ and HellaSwag. */
    public static final Map<String, CommonsenseTask> BUILTIN = builtin(
            new CommonsenseTask("cs-piqa", "piqa", Pattern.compile("solution1|solution2")),
            new CommonsenseTask("cs-siqa", "social_i_qa", Pattern.compile("answer1|answer2|answer3|answer4|answer5")),
            new CommonsenseTask("cs-winogrande", "winogrande", Pattern.compile("option1|option2")),
            new CommonsenseTask("cs-arc-e", "ARC-Easy", Pattern.compile("answer1|answer2|answer3|answer4|answer5")),
            new CommonsenseTask("cs-arc-c", "ARC-Challenge", Pattern.compile("answer1|answer2|answer3|answer4|answer5")),
            new CommonsenseTask("cs-obqa", "openbookqa", Pattern.compile("answer1|answer2|answer3|answer4|answer5")),
            new CommonsenseTask("cs-boolq", "boolq", Pattern.compile("true|false")),
            new CommonsenseTask("cs-hellaswag", "hellaswag", Pattern.compile("ending1|ending2|ending3|ending4")));

    /** The paper's zero-shot evaluation tasks (Tables 8-9, Figure 5). */
    public static final List<String> PAPER_EVAL = List.of("cs-piqa", "cs-siqa", "cs-winogrande", "cs-arc-e", "cs-arc-c", "cs-obqa");

    /** Whether a task name is the commonsense study or one of its tasks. */
    public static boolean handles(String name) {
        return MIX.equals(name) || BUILTIN.containsKey(name);
    }

    public String trainFile() {
        return "commonsense/" + folder + "/train.json";
    }

    public String testFile() {
        return "commonsense/" + folder + "/test.json";
    }

    private static Map<String, CommonsenseTask> builtin(CommonsenseTask... tasks) {
        Map<String, CommonsenseTask> m = new LinkedHashMap<>();
        Arrays.stream(tasks).forEach(t -> m.put(t.id(), t));
        return java.util.Collections.unmodifiableMap(m);
    }
}
