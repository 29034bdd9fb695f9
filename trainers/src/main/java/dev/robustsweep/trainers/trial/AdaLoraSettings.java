package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonProperty;

/** AdaLoRA settings (PEFT AdaLoraConfig names and defaults; method-spec.md section 2). */
public final class AdaLoraSettings {
    /** Rank each layer is built with. */
    @JsonProperty("init_r") public int initR = 12;
    /** Average rank per layer after budget allocation. */
    @JsonProperty("target_r") public int targetR = 8;
    /** Warm-up steps without pruning; null = per phase_defaults (PEFT: 0). */
    @JsonProperty("tinit") public Integer tinit = null;
    /** Final steps with a fixed rank pattern; null = per phase_defaults (PEFT: 0). */
    @JsonProperty("tfinal") public Integer tfinal = null;
    /**
     * What unset tinit / tfinal mean: "peft" (PEFT AdaLoraConfig's 0 and 0) or "fractions" (10% and 20% of
     * the trial's total steps).
     */
    @JsonProperty("phase_defaults") public String phaseDefaults = "peft";
    /** Steps between two budget allocations. */
    @JsonProperty("deltaT") public int deltaT = 1;
    /** EMA factor of the sensitivity. */
    @JsonProperty("beta1") public double beta1 = 0.85;
    /** EMA factor of the uncertainty. */
    @JsonProperty("beta2") public double beta2 = 0.85;
    /** Weight of the orthogonal regulariser. */
    @JsonProperty("orth_reg_weight") public double orthRegWeight = 0.5;
}
