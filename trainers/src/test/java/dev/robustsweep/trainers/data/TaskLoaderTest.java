package dev.robustsweep.trainers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.trainers.trial.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row and label counts are those listed in data/SOURCES.md (counted from the published files). */
class TaskLoaderTest {
    static final Path DATA = Path.of("..", "data");
    @TempDir Path dir;

    static TaskSpec spec(String name) {
        TaskSpec s = new TaskSpec();
        s.name = name;
        return s;
    }

    static long positives(List<Example> examples) {
        return examples.stream().filter(e -> e.label() == 1).count();
    }

    @Test
    void mrpcHasItsPublishedSizesAndLabels() {
        TaskData t = TaskLoader.load(spec("mrpc"), DATA);
        assertEquals(3668, t.train().size());
        assertEquals(408, t.dev().size());
        assertEquals(2474, positives(t.train()));
        assertEquals(279, positives(t.dev()));
        // first row after the byte-order-marked header
        assertTrue(t.train().get(0).text().startsWith("Amrozi accused his brother"), t.train().get(0).text());
        assertTrue(t.trainChecksum().startsWith("sha256:"));
    }

    @Test
    void colaHasNoHeaderAndNoFinalNewline() {
        TaskData t = TaskLoader.load(spec("cola"), DATA);
        assertEquals(8551, t.train().size());
        assertEquals(1043, t.dev().size());
        assertEquals(6023, positives(t.train()));
        assertEquals(721, positives(t.dev()));
        assertNull(t.train().get(0).textPair());
    }

    @Test
    void rteMapsNotEntailmentToOne() {
        TaskData t = TaskLoader.load(spec("rte"), DATA);
        assertEquals(2490, t.train().size());
        assertEquals(277, t.dev().size());
        assertEquals(1241, positives(t.train()));
        assertEquals(131, positives(t.dev()));
    }

    @Test
    void boolqWithOnlyValidationIsSplitBySeed() {
        TaskData a = TaskLoader.load(spec("boolq"), DATA);
        assertEquals(200, a.dev().size()); // ceil(0.2 * 1000)
        assertEquals(800, a.train().size());
        TaskData b = TaskLoader.load(spec("boolq"), DATA);
        assertEquals(a.dev(), b.dev());
        TaskSpec other = spec("boolq");
        other.splitSeed = 7L;
        assertTrue(!TaskLoader.load(other, DATA).dev().equals(a.dev()));
        assertTrue(a.trainChecksum().contains("split(seed=0"));
    }

    @Test
    void missingColumnNamesFileAndLine() throws IOException {
        Path f = dir.resolve("train.tsv");
        Files.writeString(f, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tA\tB\n0\t3\t4\tonly four\n");
        TaskSpec s = spec("mrpc");
        s.train = f.toString();
        s.dev = f.toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected at least 5"), e.getMessage());
    }

    @Test
    void unknownLabelNamesFileLineAndValue() throws IOException {
        Path f = dir.resolve("dev.tsv");
        Files.writeString(f, "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n1\tc\td\tmaybe\n");
        TaskSpec s = spec("rte");
        s.train = f.toString();
        s.dev = f.toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertTrue(e.getMessage().startsWith(f + ":3: unknown label 'maybe'"), e.getMessage());
    }

    @Test
    void quotesAreOrdinaryCharactersInTsv() throws IOException {
        Path f = dir.resolve("q.tsv");
        Files.writeString(f, "text\tlabel\n\"never closed\tpos\nplain\tneg\n");
        TaskSpec s = spec("custom");
        s.format = "tsv";
        s.train = f.toString();
        s.dev = f.toString();
        s.textFields = List.of("text");
        s.labelField = "label";
        s.labelMap = Map.of("neg", 0, "pos", 1);
        TaskData t = TaskLoader.load(s, dir);
        assertEquals(2, t.train().size());
        assertEquals("\"never closed", t.train().get(0).text());
        assertEquals(1, t.train().get(0).label());
    }

    @Test
    void customJsonlTaskWithBooleanLabels() throws IOException {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, "{\"q\": \"is it?\", \"p\": \"yes\", \"y\": true}\n{\"q\": \"no?\", \"p\": \"x\", \"y\": false}\n");
        TaskSpec s = spec("mine");
        s.format = "jsonl";
        s.train = f.toString();
        s.dev = f.toString();
        s.textFields = List.of("q", "p");
        s.labelField = "y";
        s.labelMap = Map.of("false", 0, "true", 1);
        TaskData t = TaskLoader.load(s, dir);
        assertEquals(new Example("is it?", "yes", 1), t.train().get(0));
    }

    @Test
    void customTaskMissingKeysListsThemAll() {
        TaskSpec s = spec("mine");
        s.format = "tsv";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.definition(s));
        assertTrue(e.getMessage().contains("train") && e.getMessage().contains("label_map") && e.getMessage().contains("text_fields"), e.getMessage());
    }

    // issue 13, item 1: a single file is split only when the task says so

    @Test
    void aMissingTrainFileIsAnErrorNotASplitOfTheDevFile() throws IOException {
        Path dev = dir.resolve("dev.tsv");
        Files.writeString(dev, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tA\tB\n0\t3\t4\tC\tD\n");
        TaskSpec s = spec("mrpc");
        s.train = dir.resolve("missing-train.tsv").toString();
        s.dev = dev.toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertEquals(dir.resolve("missing-train.tsv") + ": file not found", e.getMessage());
        // the built-in layout too: a data_dir without glue/MRPC/train.tsv
        Files.createDirectories(dir.resolve("glue/MRPC"));
        Files.copy(dev, dir.resolve("glue/MRPC/dev.tsv"));
        DataFormatException builtin = assertThrows(DataFormatException.class, () -> TaskLoader.load(spec("mrpc"), dir));
        assertTrue(builtin.getMessage().endsWith("glue/MRPC/train.tsv: file not found"), builtin.getMessage());
    }

    @Test
    void aCustomTaskWithoutDevNeedsDevFractionToSplit() throws IOException {
        Path f = dir.resolve("all.tsv");
        StringBuilder sb = new StringBuilder("text\tlabel\n");
        for (int i = 0; i < 10; i++) sb.append("row ").append(i).append('\t').append(i % 2 == 0 ? "neg" : "pos").append('\n');
        Files.writeString(f, sb);
        TaskSpec s = spec("custom");
        s.format = "tsv";
        s.train = f.toString();
        s.textFields = List.of("text");
        s.labelField = "label";
        s.labelMap = Map.of("neg", 0, "pos", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load(s, dir));
        assertTrue(e.getMessage().contains("no dev file: give 'dev', or 'dev_fraction'"), e.getMessage());
        s.devFraction = 0.3;
        TaskData t = TaskLoader.load(s, dir);
        assertEquals(3, t.dev().size()); // ceil(0.3 * 10)
        assertEquals(7, t.train().size());
        assertTrue(t.trainChecksum().endsWith("#split(seed=0,dev_fraction=0.3,part=train)"), t.trainChecksum());
        s.dev = f.toString();
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load(s, dir));
        assertTrue(both.getMessage().contains("dev_fraction splits a single file"), both.getMessage());
    }

    @Test
    void boolqStillSplitsItsShippedValidationFileExplicitly() {
        TaskSpec s = spec("boolq");
        TaskData t = TaskLoader.load(s, DATA);
        assertEquals(800, t.train().size());
        assertTrue(t.devChecksum().endsWith("#split(seed=0,dev_fraction=0.2,part=dev)"), t.devChecksum());
        s.devFraction = 0.5;
        assertEquals(500, TaskLoader.load(s, DATA).dev().size());
    }

    @Test
    void aHeaderOnlyFileIsAnError() throws IOException {
        Path f = dir.resolve("train.tsv");
        Files.writeString(f, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n\n");
        TaskSpec s = spec("mrpc");
        s.train = f.toString();
        s.dev = Path.of("..", "data", "glue", "MRPC", "dev.tsv").toAbsolutePath().toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertEquals(f + ": no examples (only a header or blank lines)", e.getMessage());
    }

    @Test
    void utf16AndBinaryFilesAreNamedWithTheEncodingExpected() throws IOException {
        TaskSpec s = spec("mrpc");
        s.dev = Path.of("..", "data", "glue", "MRPC", "dev.tsv").toAbsolutePath().toString();
        Path utf16 = dir.resolve("utf16.tsv");
        Files.write(utf16, "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        s.train = utf16.toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertTrue(e.getMessage().startsWith(utf16 + ":1: UTF-16 text (byte-order mark FF FE); expected UTF-8"), e.getMessage());
        Path latin1 = dir.resolve("latin1.tsv");
        Files.write(latin1, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tcaf\u00e9\tB\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        s.train = latin1.toString();
        e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertTrue(e.getMessage().startsWith(latin1 + ":2: not UTF-8 text (byte 0xE9 at offset"), e.getMessage());
        Path binary = dir.resolve("binary.jsonl");
        Files.write(binary, new byte[] {'{', '}', '\n', 0, 1, 2});
        TaskSpec b = spec("boolq");
        b.dev = binary.toString();
        e = assertThrows(DataFormatException.class, () -> TaskLoader.load(b, dir));
        assertTrue(e.getMessage().startsWith(binary + ":2: binary data (a NUL byte at offset 3)"), e.getMessage());
    }

    @Test
    void aJsonlTextFieldThatIsAListIsAnErrorNotAnEmptySentence() throws IOException {
        Path f = dir.resolve("list.jsonl");
        Files.writeString(f, "{\"question\": \"q\", \"passage\": \"p\", \"label\": true}\n{\"question\": [\"a\", \"b\"], \"passage\": \"p\", \"label\": false}\n");
        TaskSpec s = spec("boolq");
        s.train = f.toString();
        s.dev = f.toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaskLoader.load(s, dir));
        assertEquals(f + ":2: field 'question' must be a string, number or boolean, found a list", e.getMessage());
    }
}
