package dev.robustsweep.engine.run;

import dev.robustsweep.engine.store.TrialState;
import dev.robustsweep.engine.store.TrialStatus;
import java.util.List;
import java.util.Map;

/** How a sweep (or one session of it) ended: every trial's state, and whether it was interrupted. */
public record SweepOutcome(Map<String, TrialState> states, boolean interrupted, double wallSeconds) {
    public long count(TrialStatus s) {
        return states.values().stream().filter(x -> x.status() == s).count();
    }

    public List<TrialState> failures() {
        return states.values().stream().filter(x -> x.status() == TrialStatus.FAILED).toList();
    }

    /** Every trial has a completed or diverged result. */
    public boolean allDone() {
        return states.values().stream().allMatch(s -> s.status().done());
    }
}
