package dev.robustsweep.trainers.data;

import java.util.List;
import java.util.Map;

/**
 * How to read one classification task: file format, files (relative to data_dir for built-ins),
 * text fields (one or two; a third is a prefix joined to the first, used by WiC's target word),
 * label field and label values.
 */
public record TaskDefinition(String name, String format, String train, String dev, boolean header,
                             List<String> textFields, String labelField, Map<String, Integer> labelMap,
                             String prefixField) {

    /** The built-in GLUE/SuperGLUE tasks (file layouts as in ../shared/data/SOURCES.md). */
    public static final Map<String, TaskDefinition> BUILTIN = Map.of(
            "mrpc", new TaskDefinition("mrpc", "tsv", "glue/MRPC/train.tsv", "glue/MRPC/dev.tsv", true,
                    List.of("#1 String", "#2 String"), "Quality", Map.of("0", 0, "1", 1), null),
            "rte", new TaskDefinition("rte", "tsv", "glue/RTE/train.tsv", "glue/RTE/dev.tsv", true,
                    List.of("sentence1", "sentence2"), "label", Map.of("entailment", 0, "not_entailment", 1), null),
            // CoLA has no header: source, label, original label, sentence
            "cola", new TaskDefinition("cola", "tsv", "glue/CoLA/train.tsv", "glue/CoLA/dev.tsv", false,
                    List.of("3"), "1", Map.of("0", 0, "1", 1), null),
            // BoolQ: only val.jsonl ships here, so boolq is a seeded split of it (no train file; give
            // 'train' in the grid to use a full copy of BoolQ's train.jsonl instead)
            "boolq", new TaskDefinition("boolq", "jsonl", null, "superglue/BoolQ/val.jsonl", false,
                    List.of("question", "passage"), "label", Map.of("false", 0, "true", 1), null),
            // WiC: "word: sentence1" paired with sentence2
            "wic", new TaskDefinition("wic", "jsonl", "superglue/WiC/train.jsonl", "superglue/WiC/val.jsonl", false,
                    List.of("sentence1", "sentence2"), "label", Map.of("false", 0, "true", 1), "word"));

    public int numLabels() {
        return labelMap.values().stream().mapToInt(Integer::intValue).max().orElse(1) + 1;
    }
}
