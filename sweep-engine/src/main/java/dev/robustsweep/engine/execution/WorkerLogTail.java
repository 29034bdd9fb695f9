package dev.robustsweep.engine.execution;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Follows a trial's worker.log from an offset: returns the newest {@code @progress} line of what was
 * appended since the last read, and keeps the last ordinary output line (for failure reasons; a
 * stack trace's frames are not output lines, so an exception's own line is kept).
 */
public final class WorkerLogTail {
    private static final int MAX_LINE = 300;

    private final Path log;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private String lastOutput;

    public WorkerLogTail(Path log, long offset) {
        this.log = log;
        this.offset = offset;
    }

    /** A tail that starts at the log's current end (0 if there is no log yet). */
    public static WorkerLogTail atEnd(Path log) {
        return new WorkerLogTail(log, log.toFile().length());
    }

    /** Reads the lines appended since the last call; returns the last progress line among them, or null. */
    public WorkerProgress read() {
        WorkerProgress last = null;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) return null;
            byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(offset);
            f.readFully(buf);
            offset += buf.length;
            partial.append(new String(buf, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, nl).stripTrailing();
                partial.delete(0, nl + 1);
                WorkerProgress p = WorkerProgress.parse(line);
                if (p != null) last = p;
                else if (!line.isBlank() && !line.startsWith("@") && !isStackTraceDetail(line)) {
                    line = line.replaceFirst("^Exception in thread \"[^\"]*\" ", "");
                    lastOutput = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
                }
            }
        } catch (IOException e) {
            return last; // no log yet, or unreadable for now: try again on the next read
        }
        return last;
    }

    /**
     * A Java stack trace's frames and causes ("\tat ...", "\t... 3 more", "Caused by: ...",
     * "Suppressed: ..."): the reason of a worker that died on an exception is the exception's own
     * line ("java.lang.IllegalStateException: message"), not its last frame.
     */
    static boolean isStackTraceDetail(String line) {
        String t = line.strip();
        return Character.isWhitespace(line.charAt(0)) && (t.startsWith("at ") || t.matches("\\.\\.\\. \\d+ more") || t.startsWith("Suppressed: "))
                || line.startsWith("Caused by: ");
    }

    /** The last ordinary (non-@) output line read so far, or null. */
    public String lastOutput() {
        return lastOutput;
    }
}
