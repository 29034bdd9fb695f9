package dev.robustsweep.trainers.trial;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Names of the adaptable linears of a BERT layer, as in the paper's Figure 7. */
public final class TargetModules {
    /** query, key, value (attention.self), attention_output (attention.output.dense), intermediate, output (output.dense). */
    public static final List<String> NAMES = List.of("query", "key", "value", "attention_output", "intermediate", "output");

    private TargetModules() {}

    /** Expands "all" and removes duplicates, keeping the canonical order. */
    public static Set<String> resolve(List<String> requested) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : NAMES) {
            if (requested.contains(name) || requested.contains("all")) out.add(name);
        }
        return out;
    }
}
