package dev.robustsweep.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.engine.execution.ExecutionBackend;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.execution.TrialEvent;
import dev.robustsweep.engine.execution.TrialLaunch;
import dev.robustsweep.engine.store.AttemptLog;
import dev.robustsweep.engine.store.RunStore;
import dev.robustsweep.engine.store.TrialState;
import dev.robustsweep.engine.store.TrialStatus;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a sweep's unfinished trials on a backend until each is done or out of retries.
 *
 * <p>What is done is read from disk, never remembered: a trial with a completed or diverged
 * result.json is never started again. A trial runs when it has no result; a failed attempt
 * (crash, kill, timeout, a worker-reported failure) is recorded in attempts.jsonl and retried
 * up to max_retries times; a diverged result is final. One failure never stops the sweep.
 */
public final class SweepRunner {
    private static final Duration POLL = Duration.ofMillis(200);

    private final RunStore store;
    private final ExecutionSettings exec;
    private final ExecutionBackend backend;
    private final ProgressPrinter printer;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public SweepRunner(RunStore store, ExecutionSettings exec, ExecutionBackend backend, ProgressPrinter printer) {
        this.store = store;
        this.exec = exec;
        this.backend = backend;
        this.printer = printer;
    }

    /** Asks the loop to stop (Ctrl-C, cancel): running attempts are killed by closing the backend and will rerun on resume. */
    public void stop() {
        stopping.set(true);
    }

    public SweepOutcome run(boolean retryFailed) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Deque<TrialConfig> queue = new ArrayDeque<>();
        Map<String, Integer> attempts = new HashMap<>();
        Map<String, Integer> failures = new HashMap<>();
        Map<String, TrialConfig> inFlight = new LinkedHashMap<>();
        int alreadyDone = 0;
        for (TrialConfig t : store.trials()) {
            TrialState s = store.state(t, exec.maxRetries(), false);
            attempts.put(t.trialId, s.attempts());
            failures.put(t.trialId, s.failures());
            if (s.status().done()) {
                alreadyDone++;
            } else if (s.status() == TrialStatus.FAILED) {
                if (retryFailed) {
                    AttemptLog.reset(store.trialDir(t.trialId));
                    failures.put(t.trialId, 0);
                    queue.add(t);
                }
            } else {
                queue.add(t);
            }
        }
        // attempts still running from an earlier session (Slurm jobs) are followed, not started again
        Map<String, Integer> followed = backend.reattach(java.util.List.copyOf(queue));
        for (var it = queue.iterator(); it.hasNext(); ) {
            TrialConfig t = it.next();
            Integer attempt = followed.get(t.trialId);
            if (attempt == null) continue;
            it.remove();
            attempts.put(t.trialId, attempt);
            inFlight.put(t.trialId, t);
        }
        printer.begin("sweep " + store.name() + " in " + store.dir() + " (" + backend.describe() + ", max_retries " + exec.maxRetries()
                + ", timeout " + dev.robustsweep.engine.execution.DurationText.format(exec.timeout()) + ")", store.trials().size(), alreadyDone, queue.size() + inFlight.size());
        while (!stopping.get() && (!queue.isEmpty() || !inFlight.isEmpty())) {
            while (!stopping.get() && inFlight.size() < backend.capacity() && !queue.isEmpty()) {
                TrialConfig t = queue.poll();
                int attempt = attempts.merge(t.trialId, 1, Integer::sum);
                if (launch(t, attempt)) inFlight.put(t.trialId, t);
                else if (failures.merge(t.trialId, 1, Integer::sum) <= exec.maxRetries()) queue.addLast(t);
            }
            for (TrialEvent ev : backend.poll(POLL)) {
                if (stopping.get()) break;
                if (ev instanceof TrialEvent.Started s) {
                    AttemptLog.started(store.trialDir(s.trialId()), s.attempt(), s.slot(), s.worker());
                    printer.started(s.trialId(), s.slot(), s.attempt());
                } else if (ev instanceof TrialEvent.Progress p) {
                    printer.progress(p.trialId(), p.progress());
                } else if (ev instanceof TrialEvent.Finished f) {
                    TrialConfig t = inFlight.remove(f.trialId());
                    if (t != null && finished(t, f, failures)) queue.addLast(t);
                }
            }
            printer.tick();
        }
        boolean interrupted = stopping.get();
        Map<String, TrialState> states = store.states(exec.maxRetries(), false);
        if (!interrupted) printer.end();
        return new SweepOutcome(states, interrupted, (System.nanoTime() - start) / 1e9);
    }

    /** Writes trial.json and starts the attempt; false (with the failure recorded) if the worker cannot start. */
    private boolean launch(TrialConfig t, int attempt) throws IOException {
        Path dir = store.trialDir(t.trialId);
        RunStore.ResultFile stale = store.readResultFile(t.trialId);
        if (stale != null && stale.valid()) {
            store.discardResult(t.trialId); // a failed attempt's result, never a done one (those are not queued)
        } else if (stale != null) {
            // not a result (truncated, incomplete, another trial's): kept as evidence, the trial runs again
            Path kept = store.setAsideInvalidResult(t.trialId);
            printer.note("invalid  " + stale.file() + ": " + stale.problem() + "; kept as " + kept.getFileName() + ", running the trial again");
        }
        t.device = exec.trialDevice();
        t.threads = exec.effectiveThreads();
        Path file = store.prepareTrial(t);
        AttemptLog.start(dir, attempt);
        try {
            backend.submit(new TrialLaunch(t, dir, file, attempt, exec.timeout()));
            return true;
        } catch (IOException | RuntimeException e) {
            AttemptLog.end(dir, attempt, "failed", "worker did not start: " + e.getMessage(), null, 0);
            printer.finished(t.trialId, "failed", 0, "worker did not start: " + e.getMessage(), true);
            return false;
        }
    }

    /** Records an attempt's end from its result.json (the truth) or, without one, from how the worker ended. Returns true to retry. */
    private boolean finished(TrialConfig t, TrialEvent.Finished f, Map<String, Integer> failures) throws IOException {
        Path dir = store.trialDir(t.trialId);
        RunStore.ResultFile file = store.readResultFile(t.trialId);
        JsonNode result = file == null ? null : file.result();
        String status = result == null ? null : result.path("status").asText();
        if ("completed".equals(status) || "diverged".equals(status)) {
            AttemptLog.end(dir, f.attempt(), status, "diverged".equals(status) ? result.path("reason").asText(null) : null, f.exitCode(), f.seconds());
            printer.finished(t.trialId, status, f.seconds(), summary(result), false);
            return false;
        }
        String reason;
        if (result != null) reason = "worker reported failure: " + result.path("reason").asText("no reason given");
        else if (file != null) reason = "worker wrote an invalid result.json (" + file.problem() + "), kept as " + store.setAsideInvalidResult(t.trialId).getFileName();
        else if (f.exitCode() != null && f.exitCode() == 0 && !f.timedOut()) reason = "worker exited without writing result.json";
        else reason = f.reason() + (f.lastOutput() != null && !f.timedOut() ? ": " + f.lastOutput() : "");
        AttemptLog.end(dir, f.attempt(), "failed", reason, f.exitCode(), f.seconds());
        store.discardResult(t.trialId);
        int n = failures.merge(t.trialId, 1, Integer::sum);
        boolean retry = n <= exec.maxRetries();
        printer.finished(t.trialId, "failed", f.seconds(), reason + (retry ? " (retry " + n + " of " + exec.maxRetries() + ")" : ""), retry);
        return retry;
    }

    private static String summary(JsonNode result) {
        JsonNode m = result.path("metrics");
        if (m.isMissingNode() || m.isNull()) return result.path("reason").asText("");
        return String.format(java.util.Locale.ROOT, "accuracy %.4f, nll %.4f", m.path("accuracy").asDouble(Double.NaN), m.path("nll").asDouble(Double.NaN));
    }
}
