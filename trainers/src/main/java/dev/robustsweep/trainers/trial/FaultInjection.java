package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Test-only switch that makes a worker fail on purpose, so the engine's failure handling can be
 * tested end to end: "crash" (the JVM halts like a native crash), "hang" (stops making progress),
 * "nan" (the loss becomes NaN, so the trial diverges). Refused unless ROBUSTSWEEP_ALLOW_FAULTS=1.
 */
public final class FaultInjection {
    public static final String ENV_SWITCH = "ROBUSTSWEEP_ALLOW_FAULTS";

    /** crash, hang or nan. */
    @JsonProperty("kind") public String kind;
    /** Optimizer step (1-based) at which the fault fires. */
    @JsonProperty("at_step") public int atStep = 1;

    List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (!Set.of("crash", "hang", "nan").contains(kind)) errors.add("fault_injection.kind: expected crash, hang or nan, got '" + kind + "'");
        if (atStep < 1) errors.add("fault_injection.at_step: must be >= 1, got " + atStep);
        if (!"1".equals(System.getenv(ENV_SWITCH))) errors.add("fault_injection: test-only, refused unless " + ENV_SWITCH + "=1");
        return errors;
    }
}
