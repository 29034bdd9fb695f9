package dev.robustsweep.cli;

import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.ValidatedGrid;
import java.io.PrintStream;
import java.nio.file.Path;

/** Test access to the package-private dry-run printer. */
public final class DryRunAccess {
    private DryRunAccess() {}

    public static void print(ValidatedGrid v, ExecutionSettings exec, PrintStream out, Path runFolder) {
        RunCommand.printDryRun(v, exec, out, runFolder);
    }
}
