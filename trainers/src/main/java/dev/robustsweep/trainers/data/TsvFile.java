package dev.robustsweep.trainers.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GLUE-style TSV: fields split on tabs only; a double quote is an ordinary character (MRPC and RTE
 * have fields that open a quote and never close it). A leading UTF-8 byte-order mark is dropped;
 * a missing final newline is fine.
 */
public final class TsvFile {
    /** One data row and its 1-based line number in the file. */
    public record Row(int line, String[] fields) {}

    private TsvFile() {}

    public static List<Row> read(Path file, boolean header) {
        List<String> lines = Utf8Text.lines(file);
        List<Row> rows = new ArrayList<>();
        for (int i = header ? 1 : 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isEmpty()) continue;
            rows.add(new Row(i + 1, line.split("\t", -1)));
        }
        return rows;
    }

    /** The header's column names (BOM dropped). */
    public static String[] header(Path file) {
        List<String> lines = Utf8Text.lines(file);
        if (lines.isEmpty()) throw new DataFormatException(file, 1, "empty file, expected a header line");
        String first = lines.get(0);
        if (first.startsWith("\uFEFF")) first = first.substring(1);
        return first.split("\t", -1);
    }
}
