package dev.robustsweep.trainers.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines (SuperGLUE): one JSON object per line. */
public final class JsonlFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object and its 1-based line number. */
    public record Row(int line, JsonNode object) {}

    private JsonlFile() {}

    public static List<Row> read(Path file) {
        List<String> lines = Utf8Text.lines(file);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isEmpty()) continue;
            try {
                JsonNode node = JSON.readTree(line);
                if (!node.isObject()) throw new DataFormatException(file, i + 1, "expected a JSON object");
                rows.add(new Row(i + 1, node));
            } catch (JsonProcessingException e) {
                throw new DataFormatException(file, i + 1, "malformed JSON: " + e.getOriginalMessage());
            }
        }
        return rows;
    }

    /** A required text field of a row. */
    public static String text(Path file, Row row, String key) {
        JsonNode v = row.object().get(key);
        if (v == null || v.isNull()) throw new DataFormatException(file, row.line(), "missing field '" + key + "'");
        // a list or object has no text: asText() would silently give "" (an empty sentence)
        if (!v.isValueNode()) throw new DataFormatException(file, row.line(), "field '" + key + "' must be a string, number or boolean, found " + (v.isArray() ? "a list" : "an object"));
        return v.asText();
    }
}
