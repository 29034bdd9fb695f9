package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The bottleneck adapter ({@code adapter} method, the paper's Table 8 "Adapter"): LLM-Adapters'
 * BottleneckConfig, with their finetune.py defaults (bottleneck_size 256, tanh, dropout 0, series,
 * scaling 1.0, init_weights "bert").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class AdapterSettings {
    /** Width of the bottleneck (the down-projection's output size). */
    @JsonProperty("bottleneck_size") public int bottleneckSize = 256;
    /** Non-linearity between down and up: tanh, relu, gelu, silu or sigmoid (Hugging Face ACT2FN names). */
    @JsonProperty("non_linearity") public String nonLinearity = "tanh";
    /** Dropout on the adapter's input. */
    @JsonProperty("adapter_dropout") public double adapterDropout = 0.0;
    /** false: series (AdapterH) placement by module name; true: parallel to the linear (He et al. 2021). */
    @JsonProperty("use_parallel_adapter") public boolean useParallelAdapter = false;
    /** Constant factor on the adapter's output. */
    @JsonProperty("scaling") public double scaling = 1.0;
    /** "bert": down and up ~ N(0, 0.02) (LLM-Adapters' default); "mam_adapter": down Kaiming-uniform, up = 0. */
    @JsonProperty("init_weights") public String initWeights = "bert";
    /**
     * Adapted linears; null = LLM-Adapters' defaults: decoders gate_proj, up_proj, down_proj (series) or
     * q_proj, k_proj, v_proj (parallel); encoders attention_output, output (series) or query, key, value (parallel).
     */
    @JsonProperty("target_modules") public List<String> targetModules;

    public static final List<String> NON_LINEARITIES = List.of("tanh", "relu", "gelu", "silu", "sigmoid");
    public static final List<String> INITS = List.of("bert", "mam_adapter");
}
