package dev.robustsweep.trainers.trial;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Names of the adaptable linears of a layer: a BERT encoder layer (the paper's Figure 7) or a
 * LLaMA-family decoder layer (Hugging Face's module names, which PEFT's target_modules use).
 */
public final class TargetModules {
    /** query, key, value (attention.self), attention_output (attention.output.dense), intermediate, output (output.dense). */
    public static final List<String> NAMES = List.of("query", "key", "value", "attention_output", "intermediate", "output");
    /** LLaMA / Mistral / Qwen2 decoder layer: self_attn.{q,k,v,o}_proj, mlp.{gate,up,down}_proj. */
    public static final List<String> DECODER_NAMES = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    /** The authors' commonsense target modules (LLM-Adapters / MonteCLoRA example scripts). */
    public static final List<String> DECODER_DEFAULT = List.of("q_proj", "k_proj", "v_proj", "up_proj", "down_proj");

    private TargetModules() {}

    /** Whether a name is a module of some supported model (or "all"). */
    public static boolean known(String name) {
        return "all".equals(name) || NAMES.contains(name) || DECODER_NAMES.contains(name);
    }

    /** Expands "all" and removes duplicates, keeping the canonical order (encoder names). */
    public static Set<String> resolve(List<String> requested) {
        return new LinkedHashSet<>(select(NAMES, requested, "encoder"));
    }

    /**
     * The requested names among {@code available} in canonical order ("all" = every one); a name
     * the model lacks is an IllegalArgumentException listing what a {@code kind} model offers.
     */
    public static List<String> select(List<String> available, List<String> requested, String kind) {
        for (String name : requested) {
            if (!"all".equals(name) && !available.contains(name)) {
                throw new IllegalArgumentException("target_modules: '" + name + "' is not a module of this " + kind
                        + " model, expected some of " + available + " or all");
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : available) {
            if (requested.contains(name) || requested.contains("all")) out.add(name);
        }
        return out;
    }
}
