package dev.robustsweep.trainers.commonsense;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an LLM-Adapters data file: one JSON array of {instruction, input, output, answer} objects
 * (dataset/&lt;task&gt;/train.json and test.json, ft-training_set/commonsense_15k.json). A JSON Lines
 * file of the same objects is accepted too. Every problem names the file and the record's line.
 */
public final class InstructionFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InstructionFile() {}

    /**
     * @param task label stored in each record (the task id, or null to take each record's "task" field if any)
     * @param training true: "answer" optional; false (evaluation): "answer" required. "output" (the
     *     training target, and the gold text of the evaluation's NLL score) is always required
     */
    public static List<InstructionRecord> read(Path file, String task, boolean training) {
        List<InstructionRecord> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory(JSON).createParser(in)) {
            JsonToken first = p.nextToken();
            boolean array = first == JsonToken.START_ARRAY;
            JsonToken t = array ? p.nextToken() : first;
            while (t != null && t != JsonToken.END_ARRAY) {
                int line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) throw new DataFormatException(file, line, "expected a record object {instruction, input, output, answer}, found " + t);
                JsonNode node = JSON.readTree(p);
                out.add(record(file, line, node, task, training));
                t = p.nextToken();
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "file not found");
        } catch (JsonParseException e) {
            throw new DataFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read: " + e.getMessage());
        }
        return out;
    }

    private static InstructionRecord record(Path file, int line, JsonNode node, String task, boolean training) {
        String instruction = text(file, line, node, "instruction", true);
        String input = text(file, line, node, "input", false);
        String output = text(file, line, node, "output", true);
        String answer = text(file, line, node, "answer", !training);
        String label = task != null ? task : node.hasNonNull("task") ? node.get("task").asText() : null;
        return new InstructionRecord(label, instruction, input == null ? "" : input, output, answer == null ? "" : answer);
    }

    private static String text(Path file, int line, JsonNode node, String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) throw new DataFormatException(file, line, "record without \"" + key + "\" (expected {instruction, input, output, answer})");
            return null;
        }
        if (!v.isTextual()) throw new DataFormatException(file, line, "\"" + key + "\" must be a string, found " + v.getNodeType().name().toLowerCase());
        return v.asText();
    }
}
