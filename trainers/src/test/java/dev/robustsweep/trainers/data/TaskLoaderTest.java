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
}
