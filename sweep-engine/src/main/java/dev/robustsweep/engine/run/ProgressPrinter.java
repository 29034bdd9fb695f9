package dev.robustsweep.engine.run;

import dev.robustsweep.engine.execution.DurationText;
import dev.robustsweep.engine.execution.WorkerProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a sweep's progress: one line per running trial (epoch, step, loss, elapsed) under a
 * sweep-level bar with counts and an ETA. On a terminal the block is redrawn in place; otherwise
 * (CI logs, files) it prints plain lines: one when a trial starts or ends, and a summary of the
 * running trials every {@code plainInterval}.
 */
public final class ProgressPrinter {
    private static final int BAR = 30;

    private final PrintStream out;
    private final boolean tty;
    private final int slots;
    private final Duration plainInterval;
    private final Map<String, Live> live = new LinkedHashMap<>();
    private int total, done, completed, diverged, failed;
    private double finishedSeconds;
    private int finishedCount;
    private long startNanos = System.nanoTime();
    private long lastPlainNanos = System.nanoTime();
    private int drawnLines;

    private static final class Live {
        final String slot;
        final long startNanos = System.nanoTime();
        WorkerProgress progress;
        final int attempt;

        Live(String slot, int attempt) {
            this.slot = slot;
            this.attempt = attempt;
        }
    }

    public ProgressPrinter(PrintStream out, boolean tty, int slots, Duration plainInterval) {
        this.out = out;
        this.tty = tty;
        this.slots = Math.max(1, slots);
        this.plainInterval = plainInterval;
    }

    /** Whether standard output is a terminal (System.console() is null when it is redirected). */
    public static boolean stdoutIsTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    public synchronized void begin(String header, int total, int alreadyDone, int toRun) {
        this.total = total;
        this.done = alreadyDone;
        this.startNanos = System.nanoTime();
        out.println(header);
        out.println(String.format(Locale.ROOT, "%d trials: %d already done, %d to run", total, alreadyDone, toRun));
    }

    /** A line about the sweep itself (e.g. an invalid result set aside), between the trial lines. */
    public synchronized void note(String line) {
        if (tty) {
            clear();
            out.println(line);
            draw();
        } else {
            out.println(line);
        }
    }

    public synchronized void started(String trialId, String slot, int attempt) {
        live.put(trialId, new Live(slot, attempt));
        if (!tty) out.println("start  " + trialId + " [" + slot + "]" + (attempt > 1 ? " attempt " + attempt : ""));
    }

    public synchronized void progress(String trialId, WorkerProgress p) {
        Live l = live.get(trialId);
        if (l != null) l.progress = p;
    }

    /** A trial ended for good (completed, diverged, failed) or will be retried ({@code retrying}). */
    public synchronized void finished(String trialId, String outcome, double seconds, String detail, boolean retrying) {
        live.remove(trialId);
        if (!retrying) {
            done++;
            switch (outcome) {
                case "completed" -> completed++;
                case "diverged" -> diverged++;
                default -> failed++;
            }
            if (!outcome.equals("failed")) {
                finishedSeconds += seconds;
                finishedCount++;
            }
        }
        String line = String.format(Locale.ROOT, "%-9s %s (%s)%s", retrying ? "retry" : outcome, trialId, DurationText.format(Duration.ofMillis((long) (seconds * 1000))),
                detail == null || detail.isEmpty() ? "" : ": " + detail);
        if (tty) {
            clear();
            out.println(line);
            draw();
        } else {
            out.println(line);
            out.println(bar());
        }
    }

    /** Called by the engine's loop: redraws on a terminal, or prints the periodic plain summary. */
    public synchronized void tick() {
        if (tty) {
            clear();
            draw();
            return;
        }
        if (System.nanoTime() - lastPlainNanos >= plainInterval.toNanos() && !live.isEmpty()) {
            lastPlainNanos = System.nanoTime();
            for (Map.Entry<String, Live> e : live.entrySet()) out.println("  " + trialLine(e.getKey(), e.getValue()));
            out.println(bar());
        }
    }

    /** Final state of the bar (plain output already printed it after the last trial). */
    public synchronized void end() {
        if (tty) {
            clear();
            out.println(bar());
        }
    }

    private void clear() {
        if (drawnLines > 0) out.print("\033[" + drawnLines + "A\033[J");
        drawnLines = 0;
    }

    private void draw() {
        for (Map.Entry<String, Live> e : live.entrySet()) {
            out.println("  " + trialLine(e.getKey(), e.getValue()));
            drawnLines++;
        }
        out.println(bar());
        drawnLines++;
        out.flush();
    }

    String trialLine(String id, Live l) {
        double elapsed = (System.nanoTime() - l.startNanos) / 1e9;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-48s %-7s", id, l.slot));
        WorkerProgress p = l.progress;
        if (p == null) sb.append(" starting");
        else sb.append(String.format(Locale.ROOT, " epoch %d/%d  step %d/%d  loss %.4f", p.epoch(), p.epochs(), p.step(), p.totalSteps(), p.loss()));
        sb.append("  ").append(DurationText.format(Duration.ofMillis((long) (elapsed * 1000))));
        if (l.attempt > 1) sb.append("  attempt ").append(l.attempt);
        return sb.toString();
    }

    /** "[#########-----] 12/45 completed 10 diverged 1 failed 1 running 2 | 3m10s elapsed, ETA 4m05s". */
    String bar() {
        int filled = total == 0 ? BAR : (int) Math.round(BAR * (double) done / total);
        String elapsed = DurationText.format(Duration.ofNanos(System.nanoTime() - startNanos));
        Duration eta = eta();
        return String.format(Locale.ROOT, "[%s%s] %d/%d  completed %d  diverged %d  failed %d  running %d | %s elapsed, ETA %s",
                "#".repeat(filled), "-".repeat(BAR - filled), done, total, completed, diverged, failed, live.size(), elapsed,
                eta == null ? "--" : DurationText.format(eta));
    }

    /** Remaining trials (not yet started, plus the unfinished part of running ones) x mean trial time / slots. */
    Duration eta() {
        double perTrial;
        if (finishedCount > 0) {
            perTrial = finishedSeconds / finishedCount;
        } else {
            double best = -1;
            for (Live l : live.values()) {
                if (l.progress != null && l.progress.fraction() > 0.05) best = Math.max(best, (System.nanoTime() - l.startNanos) / 1e9 / l.progress.fraction());
            }
            if (best < 0) return null;
            perTrial = best;
        }
        double remaining = total - done - live.size();
        for (Live l : live.values()) remaining += 1 - (l.progress == null ? 0 : l.progress.fraction());
        return Duration.ofMillis((long) (Math.max(0, remaining) * perTrial / slots * 1000));
    }
}
