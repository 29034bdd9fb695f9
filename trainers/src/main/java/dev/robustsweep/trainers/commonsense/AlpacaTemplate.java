package dev.robustsweep.trainers.commonsense;

/**
 * The clean Alpaca prompt of alpaca-lora (templates/alpaca.json, which LLM-Adapters forked): no
 * indentation, no trailing spaces, the same text for training
 * and evaluation; the record's input is used when non-empty.
 */
public final class AlpacaTemplate implements PromptTemplate {
    @Override
    public String name() {
        return "alpaca";
    }

    @Override
    public String training(InstructionRecord r) {
        return prompt(r) + r.output();
    }

    @Override
    public String user(InstructionRecord r) {
        return prompt(r);
    }

    @Override
    public String evaluation(InstructionRecord r) {
        return prompt(r);
    }

    static String prompt(InstructionRecord r) {
        if (r.input() != null && !r.input().isEmpty()) {
            return "Below is an instruction that describes a task, paired with an input that provides further context. "
                    + "Write a response that appropriately completes the request.\n\n"
                    + "### Instruction:\n" + r.instruction() + "\n\n### Input:\n" + r.input() + "\n\n### Response:\n";
        }
        return "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
                + "### Instruction:\n" + r.instruction() + "\n\n### Response:\n";
    }
}
