package dev.robustsweep.trainers.commonsense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.trainers.data.DataFormatException;
import dev.robustsweep.trainers.trial.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped slices (data/commonsense), a single task, the seeded mix, a user's mix file, and errors naming file and line. */
class CommonsenseLoaderTest {
    static final Path DATA = Path.of("..", "data");

    static TaskSpec spec(String name) {
        TaskSpec s = new TaskSpec();
        s.name = name;
        return s;
    }

    @Test
    void singleTaskTrainsOnItsTrainFileAndEvaluatesOnItsTestFile() {
        CommonsenseData d = CommonsenseLoader.load(spec("cs-arc-e"), DATA);
        assertEquals(200, d.train().size());
        assertEquals(List.of("cs-arc-e"), List.copyOf(d.eval().keySet()));
        assertEquals(100, d.eval().get("cs-arc-e").size());
        InstructionRecord first = d.eval().get("cs-arc-e").get(0);
        assertEquals("answer1", first.answer());
        assertEquals("the correct answer is answer1", first.output());
        assertTrue(first.instruction().startsWith("Please choose the correct answer to the question: Which statement best explains why photosynthesis"));
        assertEquals("", first.input());
    }

    @Test
    void seededMixTakesTheRequestedCountsAndIsReproducible() {
        TaskSpec s = spec("commonsense");
        s.trainMix = new LinkedHashMap<>(Map.of("cs-boolq", 30));
        s.trainMix.put("cs-arc-c", 20);
        s.trainMix.put("cs-obqa", 10);
        CommonsenseData a = CommonsenseLoader.load(s, DATA);
        CommonsenseData b = CommonsenseLoader.load(s, DATA);
        assertEquals(60, a.train().size());
        assertEquals(a.train(), b.train());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (InstructionRecord r : a.train()) counts.merge(r.task(), 1, Integer::sum);
        assertEquals(Map.of("cs-boolq", 30, "cs-arc-c", 20, "cs-obqa", 10), counts);
        Set<InstructionRecord> distinct = new HashSet<>(a.train());
        assertEquals(60, distinct.size(), "drawn without replacement");
        // the mix is shuffled: the first 30 records are not all BoolQ
        assertTrue(a.train().subList(0, 30).stream().anyMatch(r -> !r.task().equals("cs-boolq")));
        assertEquals(CommonsenseTask.PAPER_EVAL, List.copyOf(a.eval().keySet()));
        assertTrue(a.trainChecksum().endsWith("#mix(seed=0)"), a.trainChecksum());
        s.splitSeed = 1L;
        assertNotEquals(a.train(), CommonsenseLoader.load(s, DATA).train());
    }

    @Test
    void usersMixFileAndEvalTasks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("commonsense_15k.json"), "[\n {\"instruction\": \"q1\", \"input\": \"\", \"output\": \"the correct answer is true\", \"answer\": \"true\"},\n"
                + " {\"instruction\": \"q2\", \"input\": \"\", \"output\": \"the correct answer is answer2\"}\n]\n");
        TaskSpec s = spec("commonsense");
        s.train = dir.resolve("commonsense_15k.json").toString();
        s.evalTasks = List.of("cs-boolq", "cs-piqa");
        CommonsenseData d = CommonsenseLoader.load(s, DATA);
        assertEquals(2, d.train().size());
        assertEquals("q2", d.train().get(1).instruction());
        assertEquals(List.of("cs-boolq", "cs-piqa"), List.copyOf(d.eval().keySet()));
    }

    @Test
    void errorsNameFileLineAndKey(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[\n {\"instruction\": \"q1\", \"output\": \"x\", \"answer\": \"a\"},\n {\"instruction\": \"q2\", \"answer\": \"a\"}\n]\n");
        TaskSpec s = spec("commonsense");
        s.train = bad.toString();
        DataFormatException e = assertThrows(DataFormatException.class, () -> CommonsenseLoader.load(s, DATA));
        assertEquals(bad + ":3: record without \"output\" (expected {instruction, input, output, answer})", e.getMessage());

        DataFormatException piqa = assertThrows(DataFormatException.class, () -> CommonsenseLoader.load(spec("cs-piqa"), DATA));
        assertTrue(piqa.getMessage().contains("piqa/train.json: file not found (cs-piqa ships its test file only here"), piqa.getMessage());

        TaskSpec tooMany = spec("commonsense");
        tooMany.trainMix = Map.of("cs-arc-c", 5000);
        DataFormatException many = assertThrows(DataFormatException.class, () -> CommonsenseLoader.load(tooMany, DATA));
        assertTrue(many.getMessage().endsWith("train_mix.cs-arc-c: 5000 records requested, the file has 200"), many.getMessage());

        TaskSpec wrong = spec("commonsense");
        wrong.trainMix = Map.of("boolq", 5);
        wrong.evalTasks = List.of("cs-nope");
        List<String> problems = CommonsenseLoader.check(wrong);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("task 'commonsense': train_mix.boolq: not a commonsense task"), problems.toString());
        assertTrue(problems.get(1).startsWith("task 'commonsense': eval_tasks: 'cs-nope' is not a commonsense task"), problems.toString());
        assertEquals(List.of("task 'commonsense': needs train (a file such as commonsense_15k.json) or train_mix (records per task, e.g. {cs-boolq: 500, cs-arc-e: 500})"),
                CommonsenseLoader.check(spec("commonsense")));
    }
}
