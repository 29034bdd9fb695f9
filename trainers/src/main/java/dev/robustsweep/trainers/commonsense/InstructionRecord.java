package dev.robustsweep.trainers.commonsense;

/**
 * One record of the LLM-Adapters instruction format: the instruction (question, options and answer
 * format), an optional input ("" in every commonsense file), the target text the model is trained
 * on ("the correct answer is answer2") and the gold answer the evaluation compares with ("answer2").
 *
 * @param task the commonsense task the record belongs to (e.g. cs-arc-e), or the mix file's label
 */
public record InstructionRecord(String task, String instruction, String input, String output, String answer) {}
