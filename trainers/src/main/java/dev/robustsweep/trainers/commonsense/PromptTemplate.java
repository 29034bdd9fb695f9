package dev.robustsweep.trainers.commonsense;

import java.util.List;

/**
 * How an instruction record becomes text. {@link #training} is the full training text (prompt and
 * output); {@link #user} is the same with an empty output, whose token count is the prefix that
 * train_on_inputs=false masks (LLM-Adapters' generate_and_tokenize_prompt); {@link #evaluation} is
 * the prompt generation continues.
 */
public interface PromptTemplate {
    List<String> NAMES = List.of("llm-adapters", "alpaca");

    String name();

    String training(InstructionRecord r);

    String user(InstructionRecord r);

    String evaluation(InstructionRecord r);

    static PromptTemplate named(String name) {
        return switch (name) {
            case "llm-adapters" -> new LlmAdaptersTemplate();
            case "alpaca" -> new AlpacaTemplate();
            default -> throw new IllegalArgumentException("prompt_template: expected one of " + NAMES + ", got '" + name + "'");
        };
    }
}
