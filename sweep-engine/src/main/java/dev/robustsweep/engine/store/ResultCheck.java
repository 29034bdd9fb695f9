package dev.robustsweep.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Whether a trial folder's result.json is a whole, valid result file (docs/schemas.md) of that
 * trial: only such a file makes the trial done. A file that is truncated, hand-written, or written
 * for another trial is reported by status and set aside by resume (never deleted, never trusted).
 */
public final class ResultCheck {
    public static final String SCHEMA = "robustsweep.result/1";
    private static final List<String> STATUSES = List.of("completed", "diverged", "failed");
    /** Keys every result carries besides the status-specific ones (the record of what ran). */
    private static final List<String> OBJECTS = List.of("trial", "seeds", "checksums");

    private ResultCheck() {}

    /** The first problem of {@code result} as the result of {@code trialId}, or null when it is valid. */
    public static String problem(JsonNode result, String trialId) {
        if (result == null || !result.isObject()) return "not a JSON object";
        if (!SCHEMA.equals(result.path("schema").asText(null))) return "\"schema\" must be \"" + SCHEMA + "\", found " + shown(result.get("schema"));
        String id = result.path("trial_id").isTextual() ? result.get("trial_id").asText() : null;
        if (id == null) return "missing \"trial_id\"";
        if (!id.equals(trialId)) return "\"trial_id\" is \"" + id + "\", but the folder is trial " + trialId;
        String status = result.path("status").isTextual() ? result.get("status").asText() : null;
        if (!STATUSES.contains(status)) return "\"status\" must be one of " + STATUSES + ", found " + shown(result.get("status"));
        JsonNode task = result.get("task");
        boolean taskOk = task != null && (task.isTextual() && !task.asText().isBlank() || task.isObject() && task.path("name").isTextual());
        if (!taskOk) return "missing \"task\"";
        if (!result.path("method").isTextual() || result.get("method").asText().isBlank()) return "missing \"method\"";
        JsonNode metrics = result.get("metrics");
        switch (status) {
            case "completed" -> {
                if (metrics == null || !metrics.isObject()) return "a completed result needs \"metrics\", found " + shown(metrics);
                for (String m : List.of("accuracy", "nll")) {
                    if (!metrics.path(m).isNumber()) return "\"metrics." + m + "\" must be a number, found " + shown(metrics.get(m));
                }
            }
            case "diverged" -> {
                if (metrics == null || !(metrics.isObject() || metrics.isNull())) return "a diverged result needs \"metrics\" (an object, or null), found " + shown(metrics);
            }
            default -> {
                if (!result.path("reason").isTextual()) return "a failed result needs a \"reason\"";
            }
        }
        for (String k : OBJECTS) {
            if (!result.path(k).isObject()) return "missing \"" + k + "\" (every result records its trial, seeds and checksums)";
        }
        if (!result.path("tool_version").isTextual()) return "missing \"tool_version\"";
        return null;
    }

    private static String shown(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
