package dev.robustsweep.cli;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.robustsweep.engine.execution.DurationText;
import dev.robustsweep.engine.execution.ExecutionSettings;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags of run and resume that override the grid's execution block. */
final class ExecutionOptions {
    @Option(names = "--backend", paramLabel = "local|slurm", description = "where trials run (default: the grid's execution.backend; Slurm settings in execution.slurm)")
    String backend;

    @Option(names = "--workers", paramLabel = "N", description = "CPU worker processes (default: the grid's execution.workers)")
    Integer workers;

    @Option(names = "--devices", paramLabel = "cpu|IDS", description = "cpu, or GPU ids such as 0,1 (one worker per GPU unless trials_per_device)")
    String devices;

    @Option(names = "--threads", paramLabel = "N", description = "intra-op threads per worker (0 = cores / workers)")
    Integer threads;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "per-attempt timeout, e.g. 90s, 30m, 2h")
    String timeout;

    @Option(names = "--max-retries", paramLabel = "N", description = "extra attempts for a crashed, killed or timed-out trial (default 2)")
    Integer maxRetries;

    /** Applies the flags; throws IllegalArgumentException with a message naming the bad flag. */
    ExecutionSettings apply(ExecutionSettings e) {
        if (backend != null) {
            if (!ExecutionSettings.BACKENDS.contains(backend)) throw new IllegalArgumentException("--backend: expected one of " + ExecutionSettings.BACKENDS + ", found '" + backend + "'");
            e = e.withBackend(backend);
        }
        if (workers != null) {
            if (workers < 1) throw new IllegalArgumentException("--workers: expected an integer >= 1, found " + workers);
            e = e.withWorkers(workers);
        }
        if (devices != null) {
            List<String> d = ExecutionSettings.parseDevices(TextNode.valueOf(devices));
            if (d == null) throw new IllegalArgumentException("--devices: expected cpu or GPU ids such as 0,1, found '" + devices + "'");
            e = e.withDevices(d);
        }
        if (threads != null) {
            if (threads < 0) throw new IllegalArgumentException("--threads: expected an integer >= 0, found " + threads);
            e = e.withThreads(threads);
        }
        if (timeout != null) {
            Duration t = DurationText.parse(timeout);
            if (t == null || t.isZero()) throw new IllegalArgumentException("--timeout: expected a duration such as 90s, 30m or 2h, found '" + timeout + "'");
            e = e.withTimeout(t);
        }
        if (maxRetries != null) {
            if (maxRetries < 0) throw new IllegalArgumentException("--max-retries: expected an integer >= 0, found " + maxRetries);
            e = e.withMaxRetries(maxRetries);
        }
        return e;
    }

    /** Refuses GPU ids this machine does not have, for a local sweep (Slurm's GPUs are on its nodes). */
    ExecutionSettings checkDevices(ExecutionSettings e) {
        if (e.backend().equals("local")) dev.robustsweep.engine.execution.LocalGpus.check(e.devices(), devices != null ? "--devices" : "execution.devices");
        return e;
    }
}
