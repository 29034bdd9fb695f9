package dev.robustsweep.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A trial's {@code attempts.jsonl}: one JSON line per event, appended with a single write:
 * {@code start} (attempt, time), {@code started} (attempt, slot, worker pid or job, time), {@code end} (attempt, outcome, reason, exit code, seconds)
 * and {@code reset} (written by resume --retry-failed: earlier failures no longer count).
 * A line torn by a crash is ignored when reading.
 */
public final class AttemptLog {
    public static final String FILE = "attempts.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttemptLog() {}

    /** An attempt is about to be submitted (its slot is not known yet: see {@link #started}). */
    public static void start(Path trialDir, int attempt) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("event", "start").put("attempt", attempt).put("time", Instant.now().toString());
        append(trialDir, o);
    }

    /** The backend started the attempt's worker on {@code slot} (cpu0, gpu1, a Slurm array task) as {@code worker} (pid or job id). */
    public static void started(Path trialDir, int attempt, String slot, String worker) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("event", "started").put("attempt", attempt).put("slot", slot);
        if (worker != null) o.put("worker", worker);
        append(trialDir, o.put("time", Instant.now().toString()));
    }

    public static void end(Path trialDir, int attempt, String outcome, String reason, Integer exitCode, double seconds) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("event", "end").put("attempt", attempt).put("outcome", outcome);
        if (reason != null) o.put("reason", reason);
        if (exitCode != null) o.put("exit_code", exitCode);
        o.put("seconds", Math.round(seconds * 100) / 100.0).put("time", Instant.now().toString());
        append(trialDir, o);
    }

    public static void reset(Path trialDir) throws IOException {
        append(trialDir, JSON.createObjectNode().put("event", "reset").put("time", Instant.now().toString()));
    }

    private static void append(Path trialDir, ObjectNode event) throws IOException {
        Files.createDirectories(trialDir);
        byte[] line = (event.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(trialDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line));
            ch.force(false);
        }
    }

    /** Every readable event, in order. */
    public static List<JsonNode> read(Path trialDir) {
        List<JsonNode> out = new ArrayList<>();
        Path f = trialDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return out;
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException torn) {
                    // a line cut short by a crash: not an event
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
