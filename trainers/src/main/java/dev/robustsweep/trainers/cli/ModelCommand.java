package dev.robustsweep.trainers.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code robustsweep model ...}: checks that a model loads and computes what its original does. */
@Command(name = "model", mixinStandardHelpOptions = true, subcommands = {EncodeCommand.class, GenerateCommand.class},
        description = "Model checks (encode: hidden states, and logits for decoders; generate: a decoder's continuation of a prompt).")
public final class ModelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
