package dev.robustsweep.trainers.commonsense;

/**
 * The LLM-Adapters prompts byte for byte, quirks included (the authors' "formatting disaster"):
 * Python f-strings whose continuation lines keep the source's 16-space indentation. Training
 * (finetune.py generate_prompt): a trailing space after "request." with input, two without; the line
 * between instruction and "### Response:" holds 16 spaces. Evaluation (commonsense_evaluate.py
 * generate_prompt): one trailing space without input, none with; empty separator lines; the prompt
 * ends with a newline and 16 spaces. commonsense_evaluate.py passes the instruction only, so the
 * evaluation prompt never contains the record's input (every commonsense record's input is "").
 */
public final class LlmAdaptersTemplate implements PromptTemplate {
    private static final String INDENT = " ".repeat(16);
    private static final String WITH_INPUT = "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.";
    private static final String NO_INPUT = "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

    @Override
    public String name() {
        return "llm-adapters";
    }

    @Override
    public String training(InstructionRecord r) {
        return finetunePrompt(r.instruction(), r.input(), r.output());
    }

    @Override
    public String user(InstructionRecord r) {
        return finetunePrompt(r.instruction(), r.input(), "");
    }

    @Override
    public String evaluation(InstructionRecord r) {
        return evaluatePrompt(r.instruction(), null);
    }

    /** finetune.py's generate_prompt(data_point). */
    static String finetunePrompt(String instruction, String input, String output) {
        if (input != null && !input.isEmpty()) {
            return WITH_INPUT + " \n\n"
                    + INDENT + "### Instruction:\n" + INDENT + instruction + "\n" + INDENT + "\n"
                    + INDENT + "### Input:\n" + INDENT + input + "\n" + INDENT + "\n"
                    + INDENT + "### Response:\n" + INDENT + output;
        }
        return NO_INPUT + "  \n\n"
                + INDENT + "### Instruction:\n" + INDENT + instruction + "\n" + INDENT + "\n"
                + INDENT + "### Response:\n" + INDENT + output;
    }

    /** commonsense_evaluate.py's generate_prompt(instruction, input). */
    static String evaluatePrompt(String instruction, String input) {
        if (input != null && !input.isEmpty()) {
            return WITH_INPUT + "\n\n"
                    + INDENT + "### Instruction:\n" + INDENT + instruction + "\n\n"
                    + INDENT + "### Input:\n" + INDENT + input + "\n\n"
                    + INDENT + "### Response:\n" + INDENT;
        }
        return NO_INPUT + " \n\n"
                + INDENT + "### Instruction:\n" + INDENT + instruction + "\n\n"
                + INDENT + "### Response:\n" + INDENT;
    }
}
