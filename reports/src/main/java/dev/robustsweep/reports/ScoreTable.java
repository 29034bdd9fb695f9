package dev.robustsweep.reports;

import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The tidy table every report is made from: one row per trial (or per CSV row) with the string
 * columns task, method, config (the grid point without the method, used for pairing), status
 * (completed | diverged | failed) and trial_id, and one double column per metric (NaN = no score).
 * Loss curves are not tidy and travel next to it.
 *
 * @param table         the tidy Tablesaw table
 * @param metrics       names of the metric columns present in {@code table}
 * @param curves        training-loss curves (run folders only; capped per task and method)
 * @param corruptFiles  result files skipped because they could not be read
 * @param warnings      one line per skipped file or other problem, naming the file
 * @param hyperparameters names of the numeric grid columns (learning_rate, batch_size, seed, ...) present
 * @param reliability  reliability-diagram counts of the non-failed trials that have them (run folders only)
 */
public record ScoreTable(Table table, List<String> metrics, List<LossCurve> curves, int corruptFiles,
                         List<String> warnings, List<String> hyperparameters, List<ReliabilityCounts> reliability) {
    /** A table without reliability counts (a tidy CSV has none). */
    public ScoreTable(Table table, List<String> metrics, List<LossCurve> curves, int corruptFiles,
                      List<String> warnings, List<String> hyperparameters) {
        this(table, metrics, curves, corruptFiles, warnings, hyperparameters, List.of());
    }

    public static final String TASK = "task";
    public static final String METHOD = "method";
    public static final String CONFIG = "config";
    public static final String STATUS = "status";
    public static final String TRIAL_ID = "trial_id";
    public static final String LEARNING_RATE = "learning_rate";
    public static final String BATCH_SIZE = "batch_size";
    public static final String SEED = "seed";
    /** Optional columns: the no-skill reference of each trial's dev set (result.json dev_baseline; NaN when unknown). */
    public static final String MAJORITY_ACCURACY = "majority_accuracy";
    public static final String PRIOR_NLL = "prior_nll";
    public static final List<String> BASELINE_COLUMNS = List.of(MAJORITY_ACCURACY, PRIOR_NLL);

    /** Task names in order of first appearance (a CSV's order; a run folder's path order). */
    public List<String> tasks() {
        return List.copyOf(new java.util.LinkedHashSet<>(table.stringColumn(TASK).asList()));
    }

    /** Number of rows. */
    public int rows() {
        return table.rowCount();
    }
}
