package dev.robustsweep.engine.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Talks to Slurm through its command-line tools (sbatch, squeue, scontrol, sacct, scancel), each run
 * as an argv without a shell. One squeue call per array job per poll; scontrol when squeue has
 * forgotten the job or exit codes are needed; sacct only when accounting storage is enabled (without
 * slurmdbd it only prints "accounting storage is disabled").
 */
public final class SlurmClient {
    /** Default limit for one Slurm command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Duration timeout;
    private Boolean accounting; // detected on first use

    public SlurmClient() {
        this(DEFAULT_TIMEOUT);
    }

    public SlurmClient(Duration commandTimeout) {
        this.timeout = commandTimeout;
    }

    /** Empty when a controller answers {@code sinfo}; otherwise why Slurm cannot be used here. */
    public Optional<String> whyUnavailable() {
        CommandResult r;
        try {
            r = run(List.of("sinfo", "-h", "-o", "%P %a"), null);
        } catch (SlurmCommandException e) {
            return Optional.of(e.getMessage());
        }
        if (r.status != 0) return Optional.of("sinfo failed (exit " + r.status + "): " + r.stderr.strip());
        if (r.stdout.isBlank()) return Optional.of("sinfo lists no partition");
        return Optional.empty();
    }

    /**
     * Submits a written array job from its run folder ({@code sbatch --parsable SCRIPT}) and returns the
     * array's job id. Slurm rejects impossible requests here (with EnforcePartLimits=ALL) with its message.
     */
    public String submit(BatchScript script) {
        List<String> cmd = List.of("sbatch", "--parsable", script.script().toString());
        CommandResult r = run(cmd, script.runDir());
        if (r.status != 0) throw new SlurmCommandException(cmd, r.status, r.stderr, "sbatch refused the job");
        String id = r.stdout.strip();
        if (id.contains(";")) id = id.substring(0, id.indexOf(';')); // "jobid;cluster"
        if (!id.matches("\\d+")) throw new SlurmCommandException(cmd, r.status, r.stderr, "unexpected sbatch output \"" + id + "\"");
        return id;
    }

    /**
     * States of every task of an array: squeue (one call), else scontrol, else sacct when accounting is on.
     * Empty when the scheduler no longer knows the job (purged after MinJobAge without accounting).
     * Exit codes are not filled in by squeue; see {@link #exitCodes(String)}.
     */
    public List<SlurmTaskStatus> queryArray(String arrayJobId) {
        requireId(arrayJobId);
        List<String> cmd = List.of("squeue", "-h", "-r", "-t", "all", "-j", arrayJobId, "-o", SlurmStatusParser.SQUEUE_FORMAT);
        CommandResult r = run(cmd, null);
        if (r.status == 0) {
            List<SlurmTaskStatus> tasks = SlurmStatusParser.parseSqueue(arrayJobId, r.stdout);
            if (!tasks.isEmpty()) return tasks;
        } else if (!unknownJob(r.stderr)) {
            throw new SlurmCommandException(cmd, r.status, r.stderr, "squeue failed");
        }
        List<SlurmTaskStatus> tasks = showArray(arrayJobId);
        if (!tasks.isEmpty() || !accountingEnabled()) return tasks;
        return sacctArray(arrayJobId);
    }

    /** States with exit codes from {@code scontrol -o show job ARRAY}; empty when the job is unknown. */
    public List<SlurmTaskStatus> showArray(String arrayJobId) {
        requireId(arrayJobId);
        List<String> cmd = List.of("scontrol", "-o", "show", "job", arrayJobId);
        CommandResult r = run(cmd, null);
        if (r.status != 0) {
            if (unknownJob(r.stderr)) return List.of();
            throw new SlurmCommandException(cmd, r.status, r.stderr, "scontrol failed");
        }
        return SlurmStatusParser.parseScontrol(arrayJobId, r.stdout);
    }

    /** States with exit codes from sacct; empty when accounting storage is disabled. */
    public List<SlurmTaskStatus> sacctArray(String arrayJobId) {
        requireId(arrayJobId);
        if (!accountingEnabled()) return List.of();
        List<String> cmd = List.of("sacct", "-n", "-P", "-X", "-j", arrayJobId, "-o", SlurmStatusParser.SACCT_FIELDS);
        CommandResult r = run(cmd, null);
        if (r.status != 0) throw new SlurmCommandException(cmd, r.status, r.stderr, "sacct failed");
        return SlurmStatusParser.parseSacct(arrayJobId, r.stdout);
    }

    /** Exit code per task id for the tasks the scheduler reports one for (scontrol, else sacct). */
    public Map<Integer, SlurmExitCode> exitCodes(String arrayJobId) {
        List<SlurmTaskStatus> tasks = showArray(arrayJobId);
        if (tasks.isEmpty()) tasks = sacctArray(arrayJobId);
        Map<Integer, SlurmExitCode> codes = new LinkedHashMap<>();
        for (SlurmTaskStatus t : tasks) if (t.exitCode() != null) codes.put(t.taskId(), t.exitCode());
        return codes;
    }

    /** True when sacct works; false when it says accounting storage is disabled. Detected once. */
    public synchronized boolean accountingEnabled() {
        if (accounting == null) {
            CommandResult r;
            try {
                r = run(List.of("sacct", "-n", "-X", "-j", "1", "-o", "JobID"), null);
            } catch (SlurmCommandException e) {
                return false; // sacct not installed or hanging: never rely on it
            }
            accounting = r.status == 0 && !(r.stdout + r.stderr).toLowerCase().contains("accounting storage is disabled");
        }
        return accounting;
    }

    /**
     * Array job ids whose job name is {@code jobName} (squeue, else sacct): finds a job submitted just
     * before a crash, before its id was recorded.
     */
    public List<String> findArraysByName(String jobName) {
        List<String> cmd = List.of("squeue", "-h", "-t", "all", "-n", jobName, "-o", "%F");
        CommandResult r = run(cmd, null);
        if (r.status != 0) throw new SlurmCommandException(cmd, r.status, r.stderr, "squeue failed");
        List<String> ids = distinctIds(r.stdout);
        if (ids.isEmpty() && accountingEnabled()) {
            List<String> acct = List.of("sacct", "-n", "-P", "-X", "--name", jobName, "-o", "JobID");
            CommandResult a = run(acct, null);
            if (a.status == 0) ids = distinctIds(a.stdout.replaceAll("_\\S*", ""));
        }
        return ids;
    }

    /** Cancels a whole array job (all its tasks); a job that already ended is not an error. */
    public void cancel(String arrayJobId) {
        requireId(arrayJobId);
        scancel(arrayJobId);
    }

    /** Cancels one array task ({@code scancel ARRAY_TASK}); a task that already ended is not an error. */
    public void cancelTask(String arrayJobId, int taskId) {
        requireId(arrayJobId);
        scancel(arrayJobId + "_" + taskId);
    }

    private void scancel(String target) {
        List<String> cmd = List.of("scancel", target);
        CommandResult r = run(cmd, null);
        String err = r.stderr.toLowerCase();
        if (r.status != 0 && !unknownJob(r.stderr) && !err.contains("already completing or completed")) {
            throw new SlurmCommandException(cmd, r.status, r.stderr, "scancel failed");
        }
    }

    private static boolean unknownJob(String stderr) {
        return stderr.toLowerCase().contains("invalid job id");
    }

    private static List<String> distinctIds(String out) {
        List<String> ids = new ArrayList<>();
        for (String line : out.split("\n")) {
            String id = line.strip();
            if (id.matches("\\d+") && !ids.contains(id)) ids.add(id);
        }
        return ids;
    }

    private static void requireId(String id) {
        if (id == null || !id.matches("\\d+")) throw new IllegalArgumentException("not a Slurm job id: \"" + id + "\"");
    }

    private record CommandResult(int status, String stdout, String stderr) {}

    private CommandResult run(List<String> cmd, Path cwd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (cwd != null) pb.directory(cwd.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SlurmCommandException(cmd, -1, "", "cannot run " + cmd.get(0) + " (is Slurm's client installed and on PATH?): "
                    + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SlurmCommandException(cmd, -1, "", "no answer within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmCommandException(cmd, -1, "", "interrupted");
        } catch (ExecutionException e) {
            throw new SlurmCommandException(cmd, -1, "", "cannot read output: " + e.getCause());
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
