package dev.robustsweep.engine.slurm;

import dev.robustsweep.engine.execution.BackendProvider;
import dev.robustsweep.engine.execution.ExecutionBackend;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.execution.WorkerCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code execution.backend: slurm} (registered in META-INF/services). Tasks run the engine's own worker
 * command (same java binary and class path, so the cluster must share this filesystem, or use
 * {@code launcher} for a container), without the stdin watch of local workers: a Slurm task has no
 * engine pipe and must outlive the engine.
 */
public final class SlurmBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public ExecutionBackend create(ExecutionSettings exec, Path runDir, WorkerCommand command) {
        SlurmClient client = new SlurmClient();
        client.whyUnavailable().ifPresent(why -> {
            throw new IllegalArgumentException("backend slurm: no Slurm controller answers here (" + why + "); run the engine on a machine that can submit jobs (a login node)");
        });
        Map<String, String> env = new LinkedHashMap<>(command.environment());
        env.remove(WorkerCommand.WATCH_STDIN);
        try {
            return new SlurmBackend(client, exec.slurmSettings(), runDir, command.prefix(), env, new PollBackoff());
        } catch (IOException e) {
            throw new UncheckedIOException(runDir + ": cannot read the sweep's Slurm job record: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> cancelJobs(Path runDir) throws IOException {
        return SlurmBackend.cancelAll(new SlurmClient(), runDir);
    }
}
