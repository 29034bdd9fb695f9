package dev.robustsweep.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A worker's {@code @progress {"epoch":1,"epochs":3,"step":40,"total_steps":345,"loss":0.63}} line
 * (docs/schemas.md). {@code step} counts optimizer steps over the whole trial.
 */
public record WorkerProgress(int epoch, int epochs, long step, long totalSteps, double loss) {
    public static final String PROGRESS = "@progress ";
    public static final String TRIAL_START = "@trial-start ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a progress line, or returns null for any other line (or a malformed one). */
    public static WorkerProgress parse(String line) {
        if (!line.startsWith(PROGRESS)) return null;
        try {
            JsonNode n = JSON.readTree(line.substring(PROGRESS.length()));
            if (n == null || !n.isObject()) return null;
            return new WorkerProgress(n.path("epoch").asInt(0), n.path("epochs").asInt(0), n.path("step").asLong(0),
                    n.path("total_steps").asLong(0), n.path("loss").asDouble(Double.NaN));
        } catch (Exception e) {
            return null;
        }
    }

    /** Fraction of the trial's steps done, in [0, 1]. */
    public double fraction() {
        return totalSteps <= 0 ? 0 : Math.min(1, Math.max(0, (double) step / totalSteps));
    }
}
