package dev.robustsweep.cli;

import dev.robustsweep.engine.grid.GridException;
import dev.robustsweep.engine.store.RunLock;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.reports.cli.ReportCommand;
import dev.robustsweep.trainers.cli.ModelCommand;
import dev.robustsweep.trainers.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code robustsweep} command: run, resume, status, cancel (sweep engine), and the worker and
 * report commands of the other modules. A user's mistake (grid file, run folder, option) prints one
 * message per problem and no stack trace.
 */
@Command(name = "robustsweep", mixinStandardHelpOptions = true, versionProvider = RobustSweep.Version.class,
        description = "Hyperparameter-robustness sweeps of fine-tuning methods.",
        subcommands = {RunCommand.class, ResumeCommand.class, StatusCommand.class, CancelCommand.class, TrainCommand.class, ModelCommand.class, ReportCommand.class})
public final class RobustSweep implements Runnable {

    public static void main(String[] args) {
        ParentWatch.startIfRequested();
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand and the user-error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RobustSweep());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof GridException g) {
                System.err.println("robustsweep: " + g.getMessage());
                return ExitCodes.INVALID;
            }
            if (e instanceof RunLock.LockedException) {
                System.err.println("robustsweep: " + e.getMessage());
                return ExitCodes.LOCKED;
            }
            if (e instanceof RunStore.NotARunFolderException || e instanceof IllegalArgumentException
                    || e instanceof dev.robustsweep.trainers.data.DataFormatException || e instanceof dev.robustsweep.trainers.trial.TrialFiles.InvalidTrialException) {
                System.err.println("robustsweep: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            if (e instanceof java.nio.file.FileSystemException f) {
                // a file or folder the user named cannot be read or written: say which and why, without a trace
                System.err.println("robustsweep: " + f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": "
                        + (f instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                        : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                        : f.getReason() != null ? f.getReason() : "cannot access"));
                return ExitCodes.INVALID;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The version from the jar manifest (Implementation-Version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RobustSweep.class.getPackage().getImplementationVersion();
            return new String[] {"robustsweep " + (v == null ? "dev" : v)};
        }
    }
}
