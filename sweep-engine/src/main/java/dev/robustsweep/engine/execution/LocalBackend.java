package dev.robustsweep.engine.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each attempt as a separate worker process on this machine, one per {@link WorkerSlot}.
 * The worker's stdout and stderr are appended straight to the trial's worker.log (so the log is
 * complete even if the engine dies); the engine follows the log for {@code @progress} lines,
 * enforces the per-attempt timeout (SIGKILL), and reports how each process ended.
 */
public final class LocalBackend implements ExecutionBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MS = 50;

    private final WorkerCommand command;
    private final List<WorkerSlot> slots;
    private final Deque<WorkerSlot> free;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final List<TrialEvent> pending = new ArrayList<>();

    /** A live attempt: its process, slot, and how far its log has been read. */
    private static final class Running {
        final TrialLaunch launch;
        final WorkerSlot slot;
        final Process process;
        final long startNanos;
        final WorkerLogTail tail;
        boolean timedOut;
        boolean cancelled;

        Running(TrialLaunch launch, WorkerSlot slot, Process process, long logOffset) {
            this.launch = launch;
            this.slot = slot;
            this.process = process;
            this.startNanos = System.nanoTime();
            this.tail = new WorkerLogTail(launch.log(), logOffset);
        }

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }
    }

    public LocalBackend(WorkerCommand command, List<WorkerSlot> slots) {
        if (slots.isEmpty()) throw new IllegalArgumentException("a local backend needs at least one worker slot");
        this.command = command;
        this.slots = List.copyOf(slots);
        this.free = new ArrayDeque<>(slots);
    }

    @Override
    public int capacity() {
        return slots.size();
    }

    @Override
    public String describe() {
        WorkerSlot s = slots.get(0);
        if (s.gpu() == null) return "local: " + slots.size() + " CPU worker" + (slots.size() == 1 ? "" : "s") + " x " + s.threads() + " thread" + (s.threads() == 1 ? "" : "s");
        return "local: " + slots.size() + " GPU slot" + (slots.size() == 1 ? "" : "s") + " on GPU " + slots.stream().map(WorkerSlot::gpu).distinct().toList();
    }

    @Override
    public synchronized void submit(TrialLaunch launch) throws IOException {
        if (running.containsKey(launch.trialId())) throw new IllegalStateException(launch.trialId() + " is already running");
        WorkerSlot slot = free.poll();
        if (slot == null) throw new IllegalStateException("no free worker slot (capacity " + capacity() + ")");
        Path log = launch.log();
        Files.createDirectories(log.getParent());
        String header = "@attempt " + JSON.createObjectNode().put("attempt", launch.attempt()).put("slot", slot.label())
                .put("time", Instant.now().toString()) + "\n";
        Files.writeString(log, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long offset = Files.size(log);
        ProcessBuilder pb = new ProcessBuilder(command.command(launch));
        pb.environment().putAll(command.environment());
        pb.environment().putAll(slot.environment());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // stdin stays a pipe the engine never writes to: the worker sees EOF when the engine dies
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            free.addFirst(slot);
            throw e;
        }
        running.put(launch.trialId(), new Running(launch, slot, p, offset));
        pending.add(new TrialEvent.Started(launch.trialId(), launch.attempt(), slot.label(), Long.toString(p.pid())));
    }

    @Override
    public List<TrialEvent> poll(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<TrialEvent> out = check();
            if (!out.isEmpty() || System.nanoTime() >= deadline) return out;
            Thread.sleep(Math.max(1, Math.min(TICK_MS, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private synchronized List<TrialEvent> check() {
        List<TrialEvent> out = new ArrayList<>(pending);
        pending.clear();
        for (var it = running.values().iterator(); it.hasNext(); ) {
            Running r = it.next();
            WorkerProgress last = r.tail.read();
            if (last != null) out.add(new TrialEvent.Progress(r.launch.trialId(), last));
            if (r.process.isAlive()) {
                if (!r.timedOut && r.seconds() > r.launch.timeout().toMillis() / 1000.0) {
                    r.timedOut = true;
                    r.process.destroyForcibly();
                }
                continue;
            }
            r.tail.read();
            int code = r.process.exitValue();
            String reason = r.timedOut ? "timed out after " + DurationText.format(r.launch.timeout())
                    : r.cancelled ? "cancelled" : exitReason(code);
            out.add(new TrialEvent.Finished(r.launch.trialId(), r.launch.attempt(), code, r.timedOut, reason, r.tail.lastOutput(), r.seconds(), r.slot.label()));
            free.addLast(r.slot);
            it.remove();
        }
        return out;
    }

    /** How an exit code reads: 137 is "killed by SIGKILL", 134 "crashed (SIGABRT)". */
    public static String exitReason(int code) {
        if (code == 0) return null;
        if (code == 1) return "worker failed (exit 1)";
        if (code == 2) return "worker refused the trial file (exit 2)";
        if (code > 128 && code < 160) {
            int sig = code - 128;
            String name = switch (sig) {
                case 4 -> "SIGILL";
                case 6 -> "SIGABRT";
                case 7 -> "SIGBUS";
                case 8 -> "SIGFPE";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + sig;
            };
            boolean crash = sig == 4 || sig == 6 || sig == 7 || sig == 8 || sig == 11;
            return (crash ? "crashed (" : "killed by ") + name + (crash ? ", exit " + code + ")" : " (exit " + code + ")");
        }
        return "worker exited with code " + code;
    }

    @Override
    public synchronized void cancel(String trialId) {
        Running r = running.get(trialId);
        if (r != null) {
            r.cancelled = true;
            r.process.destroyForcibly();
        }
    }

    @Override
    public synchronized void close() {
        for (Running r : running.values()) r.process.destroyForcibly();
        for (Running r : running.values()) {
            try {
                r.process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
    }
}
