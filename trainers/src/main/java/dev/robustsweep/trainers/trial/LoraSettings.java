package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** LoRA settings shared by lora, dora, adalora and monteclora (names as in PEFT's LoraConfig). */
public final class LoraSettings {
    /** Rank r of the update B A. */
    @JsonProperty("r") public int r = 8;
    /** lora_alpha: the update is scaled by lora_alpha / r (or / sqrt(r) with use_rslora). Default 8, as PEFT's LoraConfig and AdaLoraConfig. */
    @JsonProperty("lora_alpha") public double loraAlpha = 8;
    /** Dropout on the adapter's input x (not on the base path). */
    @JsonProperty("lora_dropout") public double loraDropout = 0.0;
    /** Adapted linears: encoder query, key, value, attention_output, intermediate, output; decoder q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj; or "all". */
    @JsonProperty("target_modules") public List<String> targetModules = List.of("query", "key", "value");
    /** rsLoRA: scaling = lora_alpha / sqrt(r). */
    @JsonProperty("use_rslora") public boolean useRslora = false;
}
