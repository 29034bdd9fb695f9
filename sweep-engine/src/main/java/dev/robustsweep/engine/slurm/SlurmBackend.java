package dev.robustsweep.engine.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.engine.execution.ExecutionBackend;
import dev.robustsweep.engine.execution.TrialEvent;
import dev.robustsweep.engine.execution.TrialLaunch;
import dev.robustsweep.engine.execution.WorkerCommand;
import dev.robustsweep.engine.execution.WorkerLogTail;
import dev.robustsweep.engine.execution.WorkerProgress;
import dev.robustsweep.engine.store.AttemptLog;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs attempts as Slurm array tasks and follows them. Attempts handed over by {@link #submit} are
 * buffered and sent on the next {@link #poll} as {@code sbatch --array} jobs (at most max_array_size
 * tasks each, {@code %max_concurrent} running at once); every submission is recorded in
 * {@code slurm-jobs.json} before sbatch runs and its id right after ({@link SlurmJobsFile}).
 *
 * <p>Following: at each tick (spaced by {@link PollBackoff}: 1 s growing to 30 s while nothing changes)
 * one squeue per array (scontrol when squeue has forgotten it), and a look at each followed trial's
 * result.json, which is the truth: a completed or diverged result ends the attempt at once; a task in a
 * final state without a result (after a short grace for shared filesystems) ends it as failed with
 * the scheduler's state and exit code. PREEMPTED/REQUEUED are not final, so a requeued task is
 * simply followed on. The engine can die and restart: {@link #reattach} follows the recorded tasks of
 * open attempts instead of submitting them again. {@link #close} leaves jobs running (use the
 * {@code cancel} command to stop them).
 */
public final class SlurmBackend implements ExecutionBackend {
    /** A task final without result.json is failed only after this long (the file may still be on its way over NFS). */
    static final Duration FINAL_GRACE = Duration.ofSeconds(3);
    /** Ticks in a row an array may be unknown to the scheduler before its unfinished tasks count as lost. */
    static final int UNKNOWN_TICKS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlurmClient client;
    private final SlurmSettings settings;
    private final BatchScriptWriter writer;
    private final Path runDir;
    private final String sweepName;
    private final PollBackoff backoff;
    private SlurmJobsFile jobs;
    private final List<Task> toSubmit = new ArrayList<>();
    private final Map<String, Task> followed = new LinkedHashMap<>();
    private final List<TrialEvent> events = new ArrayList<>();
    private long nextTickNanos;
    private volatile boolean closed;

    /** One attempt of one trial: before submission, then as array task {@code index} of {@code arrayId}. */
    private static final class Task {
        final String trialId;
        final int attempt;
        final Path trialDir;
        final long sinceNanos = System.nanoTime();
        WorkerLogTail tail;
        String arrayId;
        int index;
        SlurmJobState state;
        boolean started;
        boolean cancelled;
        Long finalSinceNanos;
        int unknownTicks;

        Task(String trialId, int attempt, Path trialDir) {
            this.trialId = trialId;
            this.attempt = attempt;
            this.trialDir = trialDir;
        }

        String slot() {
            return arrayId == null ? "slurm" : "slurm " + arrayId + "_" + index;
        }

        double seconds() {
            return (System.nanoTime() - sinceNanos) / 1e9;
        }
    }

    /**
     * @param workerCommand argv of the worker before {@code --trial} (the engine's java + class path, or a wrapper)
     * @param environment   variables every task exports before the worker starts (quoted into the script)
     */
    public SlurmBackend(SlurmClient client, SlurmSettings settings, Path runDir, List<String> workerCommand,
                        Map<String, String> environment, PollBackoff backoff) throws IOException {
        this.client = client;
        this.runDir = runDir.toAbsolutePath().normalize();
        this.sweepName = sweepName(this.runDir);
        this.backoff = backoff;
        this.settings = withEnvironment(settings, environment);
        this.writer = new BatchScriptWriter(this.settings, workerCommand, "worker.log");
        this.jobs = SlurmJobsFile.load(this.runDir);
    }

    /** The engine's environment for the worker goes first in setup, each value quoted; the user's setup lines follow. */
    private static SlurmSettings withEnvironment(SlurmSettings s, Map<String, String> environment) {
        List<String> setup = new ArrayList<>();
        setup.add("unset " + WorkerCommand.WATCH_STDIN + "  # a task has no engine pipe on stdin and outlives the engine");
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("not a variable name: " + e.getKey());
            setup.add("export " + e.getKey() + "=" + ShellQuote.quote(e.getValue()));
        }
        setup.add("export OMP_NUM_THREADS=" + s.cpusPerTask() + " MKL_NUM_THREADS=" + s.cpusPerTask());
        setup.addAll(s.setup());
        return new SlurmSettings(s.partition(), s.timeLimit(), s.cpusPerTask(), s.mem(), s.gpus(), s.gpuType(), s.account(), s.qos(),
                s.maxConcurrent(), s.maxArraySize(), s.extraFlags(), setup, s.launcher());
    }

    private static String sweepName(Path runDir) {
        try {
            JsonNode s = JSON.readTree(runDir.resolve("sweep.json").toFile());
            if (s != null && s.hasNonNull("name")) return s.get("name").asText();
        } catch (IOException e) {
            // no sweep.json: the folder's name is the sweep's
        }
        return runDir.getFileName().toString();
    }

    /** Slurm limits what runs at once; the engine hands over every pending trial so they go out as few arrays. */
    @Override
    public int capacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int parallelism() {
        return settings.maxConcurrent();
    }

    @Override
    public String describe() {
        return "slurm: partition " + (settings.partition() == null ? "(default)" : settings.partition()) + ", " + settings.cpusPerTask()
                + " CPU" + (settings.cpusPerTask() == 1 ? "" : "s") + (settings.gpus() > 0 ? ", " + settings.gpus() + " GPU" : "")
                + " per task, time limit " + (settings.timeLimit() == null ? "(partition default)" : settings.timeLimit())
                + ", at most " + settings.maxConcurrent() + " tasks per array at once";
    }

    @Override
    public synchronized void submit(TrialLaunch launch) throws IOException {
        if (followed.containsKey(launch.trialId()) || toSubmit.stream().anyMatch(t -> t.trialId.equals(launch.trialId()))) {
            throw new IllegalStateException(launch.trialId() + " is already submitted");
        }
        toSubmit.add(new Task(launch.trialId(), launch.attempt(), launch.trialDir().toAbsolutePath().normalize()));
    }

    @Override
    public Map<String, Integer> reattach(List<TrialConfig> unfinished) throws IOException {
        synchronized (this) {
            for (SubmittedArray a : jobs.unconfirmed()) {
                // the engine died between recording and sbatch's answer: did the job reach Slurm?
                List<String> ids = client.findArraysByName(a.jobName());
                if (ids.isEmpty()) jobs.forget(a.submission());
                else jobs.recordSubmitted(a.submission(), ids.get(0));
            }
            Map<String, Integer> out = new LinkedHashMap<>();
            for (TrialConfig t : unfinished) {
                Path dir = runDir.resolve("trials").resolve(t.trialId);
                Optional<SlurmJobsFile.TaskRef> ref = jobs.latestTaskFor(t.trialId);
                if (ref.isEmpty() || ref.get().attempt() != openAttempt(dir)) continue;
                Task task = new Task(t.trialId, ref.get().attempt(), dir);
                task.arrayId = ref.get().arrayJobId();
                task.index = ref.get().taskId();
                task.tail = WorkerLogTail.atEnd(dir.resolve("worker.log"));
                followed.put(t.trialId, task);
                out.put(t.trialId, task.attempt);
            }
            nextTickNanos = System.nanoTime();
            return out;
        }
    }

    /** The attempt started in attempts.jsonl and not ended (the one a dead engine left running), or -1. */
    static int openAttempt(Path trialDir) {
        int open = -1;
        for (JsonNode e : AttemptLog.read(trialDir)) {
            String kind = e.path("event").asText();
            if (kind.equals("start")) open = e.path("attempt").asInt(-1);
            else if (kind.equals("end") && e.path("attempt").asInt(-2) == open) open = -1;
        }
        return open;
    }

    @Override
    public List<TrialEvent> poll(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<TrialEvent> out;
            long sleepUntil;
            synchronized (this) {
                if (closed) return List.of();
                if (!toSubmit.isEmpty()) submitBuffered();
                if (!followed.isEmpty() && System.nanoTime() >= nextTickNanos) {
                    boolean changed = tick();
                    nextTickNanos = System.nanoTime() + backoff.next(changed).toNanos();
                }
                out = new ArrayList<>(events);
                events.clear();
                sleepUntil = Math.min(deadline, nextTickNanos);
            }
            long now = System.nanoTime();
            if (!out.isEmpty() || now >= deadline) return out;
            Thread.sleep(Math.max(1, (Math.max(sleepUntil, now) - now) / 1_000_000));
        }
    }

    /** Sends the buffered attempts as array jobs of at most max_array_size tasks. */
    private void submitBuffered() {
        List<Task> batch = new ArrayList<>(toSubmit);
        toSubmit.clear();
        for (int from = 0; from < batch.size(); from += settings.maxArraySize()) {
            List<Task> chunk = batch.subList(from, Math.min(batch.size(), from + settings.maxArraySize()));
            try {
                submitArray(chunk);
            } catch (IOException | RuntimeException e) {
                for (Task t : chunk) {
                    events.add(new TrialEvent.Finished(t.trialId, t.attempt, null, false, "not submitted to Slurm: " + e.getMessage(), null, t.seconds(), "slurm"));
                }
            }
        }
        backoff.reset();
        nextTickNanos = System.nanoTime() + PollBackoff.DEFAULT_INITIAL.toNanos();
    }

    private void submitArray(List<Task> chunk) throws IOException {
        int submission = jobs.nextSubmission();
        List<Path> dirs = chunk.stream().map(t -> t.trialDir).toList();
        BatchScript script = writer.write(runDir, sweepName, submission, dirs);
        List<SubmittedArray.Task> tasks = chunk.stream().map(t -> new SubmittedArray.Task(t.trialId, t.attempt)).toList();
        jobs.recordIntent(new SubmittedArray(submission, script.jobName(), null, runDir.relativize(script.script()).toString(),
                Instant.now().toString(), tasks));
        for (Task t : chunk) {
            // the attempt's header, as the local backend writes it; the worker's output follows when the task runs
            Path log = t.trialDir.resolve("worker.log");
            String header = "@attempt " + JSON.createObjectNode().put("attempt", t.attempt).put("slot", "slurm")
                    .put("submission", submission).put("time", Instant.now().toString()) + "\n";
            Files.writeString(log, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            t.tail = WorkerLogTail.atEnd(log);
        }
        String id;
        try {
            id = client.submit(script);
        } catch (SlurmCommandException e) {
            // sbatch may have timed out after the controller accepted the job: look before giving up
            List<String> found = e.exitStatus() == -1 ? client.findArraysByName(script.jobName()) : List.of();
            if (found.isEmpty()) {
                jobs.forget(submission);
                throw e;
            }
            id = found.get(0);
        }
        jobs.recordSubmitted(submission, id);
        for (int i = 0; i < chunk.size(); i++) {
            Task t = chunk.get(i);
            t.arrayId = id;
            t.index = i;
            followed.put(t.trialId, t);
        }
    }

    /** One look at every followed array and result file; returns whether anything changed. */
    private boolean tick() {
        boolean changed = false;
        Map<String, List<Task>> byArray = new LinkedHashMap<>();
        for (Task t : followed.values()) byArray.computeIfAbsent(t.arrayId, k -> new ArrayList<>()).add(t);
        for (Map.Entry<String, List<Task>> e : byArray.entrySet()) {
            String arrayId = e.getKey();
            List<SlurmTaskStatus> statuses;
            try {
                statuses = client.queryArray(arrayId);
            } catch (SlurmCommandException ex) {
                continue; // the controller is busy or restarting: ask again on the next tick
            }
            Map<Integer, SlurmTaskStatus> byTask = new HashMap<>();
            for (SlurmTaskStatus s : statuses) byTask.put(s.taskId(), s);
            Map<Integer, SlurmTaskStatus> withExitCodes = null;
            for (Task t : e.getValue()) {
                WorkerProgress p = t.tail.read();
                if (p != null) events.add(new TrialEvent.Progress(t.trialId, p));
                if (resultIsFinal(t.trialDir)) {
                    finish(t, 0, null, false);
                    changed = true;
                    continue;
                }
                SlurmTaskStatus s = byTask.get(t.index);
                if (s == null) {
                    // pending tasks are listed one per line by squeue -r; a missing one means a forgotten job
                    if (statuses.isEmpty() && ++t.unknownTicks >= UNKNOWN_TICKS) {
                        finish(t, null, "Slurm no longer knows array job " + arrayId + " (task " + t.index + "), and there is no result", false);
                        changed = true;
                    }
                    continue;
                }
                t.unknownTicks = 0;
                if (s.state() != t.state) {
                    changed = true;
                    t.state = s.state();
                }
                if (!t.started && (s.state() == SlurmJobState.RUNNING || s.state().isFinal())) {
                    t.started = true;
                    events.add(new TrialEvent.Started(t.trialId, t.attempt, t.slot(), s.jobId()));
                }
                if (!s.state().isFinal()) {
                    t.finalSinceNanos = null; // requeued (PREEMPTED, REQUEUED): followed on
                    continue;
                }
                if (t.finalSinceNanos == null) {
                    t.finalSinceNanos = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - t.finalSinceNanos < FINAL_GRACE.toNanos()) continue;
                if (withExitCodes == null) withExitCodes = exitStatuses(arrayId);
                SlurmTaskStatus full = withExitCodes.getOrDefault(t.index, s);
                SlurmExitCode code = full.exitCode();
                Integer exit = code == null ? null : code.signal() != 0 ? 128 + code.signal() : code.code();
                String reason = (t.cancelled ? "cancelled by the engine; " : "") + full.failureReason();
                finish(t, exit, reason, full.state() == SlurmJobState.TIMEOUT);
                changed = true;
            }
        }
        return changed;
    }

    private Map<Integer, SlurmTaskStatus> exitStatuses(String arrayId) {
        Map<Integer, SlurmTaskStatus> out = new HashMap<>();
        try {
            List<SlurmTaskStatus> shown = client.showArray(arrayId);
            if (shown.isEmpty()) shown = client.sacctArray(arrayId);
            for (SlurmTaskStatus s : shown) out.put(s.taskId(), s);
        } catch (SlurmCommandException e) {
            // exit codes are an explanation only; squeue's state is enough to fail the attempt
        }
        return out;
    }

    private void finish(Task t, Integer exitCode, String reason, boolean timedOut) {
        t.tail.read();
        followed.remove(t.trialId);
        events.add(new TrialEvent.Finished(t.trialId, t.attempt, exitCode, timedOut, reason, t.tail.lastOutput(), t.seconds(), t.slot()));
    }

    /** Whether result.json holds a valid completed or diverged result (a failed one waits for the task to end). */
    private static boolean resultIsFinal(Path trialDir) {
        Path f = trialDir.resolve("result.json");
        if (!Files.isRegularFile(f)) return false;
        try {
            var result = JSON.readTree(f.toFile());
            String status = result.path("status").asText();
            // only a whole, valid result of this trial ends the attempt early (docs/schemas.md)
            return (status.equals("completed") || status.equals("diverged"))
                    && dev.robustsweep.engine.store.ResultCheck.problem(result, trialDir.getFileName().toString()) == null;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void cancel(String trialId) {
        Task t = followed.get(trialId);
        if (t == null) {
            toSubmit.removeIf(b -> {
                if (!b.trialId.equals(trialId)) return false;
                events.add(new TrialEvent.Finished(b.trialId, b.attempt, null, false, "cancelled before submission", null, 0, "slurm"));
                return true;
            });
            return;
        }
        t.cancelled = true;
        client.cancelTask(t.arrayId, t.index);
        nextTickNanos = System.nanoTime();
    }

    /** Stops following; the sweep's jobs keep running on the cluster and a resumed engine re-attaches to them. */
    @Override
    public void close() {
        closed = true;
    }

    /** Cancels every array job recorded for a run folder (and any submitted but not recorded, found by name). */
    static List<String> cancelAll(SlurmClient client, Path runDir) throws IOException {
        if (!Files.exists(runDir.resolve(SlurmJobsFile.FILE_NAME))) return List.of();
        SlurmJobsFile jobs = SlurmJobsFile.load(runDir);
        List<String> ids = new ArrayList<>();
        for (SubmittedArray a : jobs.arrays()) {
            if (a.isSubmitted()) ids.add(a.arrayJobId());
            else ids.addAll(client.findArraysByName(a.jobName()));
        }
        for (String id : ids) client.cancel(id);
        return ids.isEmpty() ? List.of() : List.of("cancelled the sweep's Slurm array jobs: " + String.join(", ", ids));
    }
}
