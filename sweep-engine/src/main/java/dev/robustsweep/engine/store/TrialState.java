package dev.robustsweep.engine.store;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A trial's state as read from disk.
 *
 * @param status       see {@link TrialStatus}
 * @param attempts     attempts started so far (all sessions)
 * @param failures     failed attempts since the last --retry-failed
 * @param lastFailure  reason of the latest failed attempt, or null
 * @param result       the parsed result.json when the trial is done, else null
 * @param invalidResult "PATH: problem" when the folder holds a result.json that is not a valid result
 *                     of this trial (truncated, incomplete, another trial's): not done; resume sets it aside
 */
public record TrialState(String trialId, TrialStatus status, int attempts, int failures, String lastFailure, JsonNode result,
                         String invalidResult) {}
