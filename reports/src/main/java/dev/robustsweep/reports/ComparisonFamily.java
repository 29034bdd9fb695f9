package dev.robustsweep.reports;

/** The two families of Wilcoxon comparisons; Holm's adjustment runs within one family. */
public enum ComparisonFamily {
    /** The paper's test: pairs are the tasks, values the two methods' robustness on each task. */
    ACROSS_TASKS("across_tasks"),
    /** Within one task: pairs are grid points (same config: learning rate, batch size, seed, ...), values the scores. */
    WITHIN_TASK("within_task"),
    /** Friedman over all methods, blocks = tasks (issue 12); method_a "all", method_b the methods joined by '+'. */
    FRIEDMAN_ACROSS_TASKS("friedman_across_tasks"),
    /** Friedman over all methods within one task, blocks = grid points every method ran. */
    FRIEDMAN_WITHIN_TASK("friedman_within_task");

    private final String label;

    ComparisonFamily(String label) {
        this.label = label;
    }

    /** Name written to tests.csv. */
    public String label() {
        return label;
    }
}
