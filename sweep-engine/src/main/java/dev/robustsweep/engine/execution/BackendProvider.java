package dev.robustsweep.engine.execution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes the backend an execution setting names ({@code backend: local|slurm}). The local backend is
 * built in; others register through {@link ServiceLoader} (META-INF/services/dev.robustsweep.engine.execution.BackendProvider).
 */
public interface BackendProvider {
    /** The grid's name for this backend ("slurm"). */
    String name();

    /** A backend for one engine session on run folder {@code runDir}; {@code command} is the worker command to run per attempt. */
    ExecutionBackend create(ExecutionSettings exec, Path runDir, WorkerCommand command);

    /**
     * Cancels what this backend left running for a run folder (the {@code cancel} command, after the
     * engine is stopped), e.g. the sweep's Slurm jobs; returns lines to print. Default: nothing.
     */
    default List<String> cancelJobs(Path runDir) throws IOException {
        return List.of();
    }

    /** The backend for {@code exec.backend()}; throws IllegalArgumentException naming the backends available. */
    static ExecutionBackend forSettings(ExecutionSettings exec, Path runDir, WorkerCommand command) {
        if (exec.backend().equals("local")) return new LocalBackend(command, WorkerSlot.slots(exec));
        StringBuilder known = new StringBuilder("local");
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(exec.backend())) return p.create(exec, runDir, command);
            known.append(", ").append(p.name());
        }
        throw new IllegalArgumentException("backend '" + exec.backend() + "' is not available in this build (available: " + known + ")");
    }
}
