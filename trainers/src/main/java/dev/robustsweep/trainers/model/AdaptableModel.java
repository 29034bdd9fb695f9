package dev.robustsweep.trainers.model;

import java.util.List;

/**
 * What a fine-tuning method needs from a model (PEFT's view of a transformers model): its adaptable
 * linears by module name, its base parameters, and the parameters PEFT trains under every adapter
 * method (modules_to_save). The encoder classifier ({@link SequenceClassifier}) and the decoder
 * language models implement it, so every method in adapters/ is written once for both.
 */
public interface AdaptableModel {
    /** The module names each layer offers, in canonical order (BERT: query, key, ...; LLaMA: q_proj, ...). */
    List<String> moduleNames();

    /**
     * The linears named by {@code targetModules} ("all" = every module), layer by layer and in
     * canonical module order within a layer. A name the model does not have is an
     * {@link IllegalArgumentException} naming the modules it does have.
     */
    List<Linear> targetLinears(List<String> targetModules);

    /** Every base parameter (all of them train under full fine-tuning), adapters excluded. */
    List<Parameter> baseParameters();

    /** Base parameters plus those of every installed adapter. */
    List<Parameter> allParameters();

    /**
     * Parameters that train under every adapter method (PEFT's modules_to_save): the sequence
     * classifier's {@code classifier} module; nothing for a causal language model (CAUSAL_LM).
     */
    List<Parameter> alwaysTrainedParameters();
}
