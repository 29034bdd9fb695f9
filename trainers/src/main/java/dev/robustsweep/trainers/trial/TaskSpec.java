package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Which task a trial trains on. A built-in task needs only {@code name} (mrpc, cola, rte, boolq, wic)
 * and reads its files under {@code data_dir}; a custom task (format set) names its own files.
 * Decoder models take the commonsense tasks (cs-piqa, ..., and the study's mix {@code commonsense},
 * see {@link dev.robustsweep.trainers.commonsense.CommonsenseLoader}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TaskSpec {
    /** Task name; a built-in one or a user's label for a custom task. */
    @JsonProperty("name") public String name;
    /** Custom tasks only: "tsv" or "jsonl". */
    @JsonProperty("format") public String format;
    /** Training file (custom task, or to override a built-in's). */
    @JsonProperty("train") public String train;
    /** Validation file (custom task, or to override a built-in's); absent = split train (dev_fraction). */
    @JsonProperty("dev") public String dev;
    /** Custom tasks: one or two text columns (TSV header names or 0-based indices; JSON keys). */
    @JsonProperty("text_fields") public List<String> textFields;
    /** Custom tasks: label column or key. */
    @JsonProperty("label_field") public String labelField;
    /** Custom tasks: label value as written in the file -> class index. */
    @JsonProperty("label_map") public Map<String, Integer> labelMap;
    /** Custom TSV: whether the first line is a header. */
    @JsonProperty("header") public Boolean header;
    /** When a task has one file only (BoolQ here): fraction held out as dev by a seeded split. */
    @JsonProperty("dev_fraction") public Double devFraction;
    /** Seed of that split (independent of the trial seed, so every trial sees the same split); also seeds the commonsense mix. */
    @JsonProperty("split_seed") public Long splitSeed;
    /** Commonsense study ({@code commonsense}): records drawn per task from its train.json, e.g. {cs-boolq: 500, cs-arc-e: 500}. */
    @JsonProperty("train_mix") public java.util.Map<String, Integer> trainMix;
    /** Commonsense tasks evaluated (each on its test.json); default: the paper's six, or the task itself for a cs-* task. */
    @JsonProperty("eval_tasks") public List<String> evalTasks;
}
