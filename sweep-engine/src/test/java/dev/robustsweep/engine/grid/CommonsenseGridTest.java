package dev.robustsweep.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commonsense (decoder) tasks in a grid: their keys are checked like every other, as file:line:col: key. */
class CommonsenseGridTest {
    @TempDir static Path tmp;
    static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("tiny"));
    }

    static Path grid(String name, String tasks) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nmodel: " + model + "\ndata_dir: " + Path.of("..", "data").toAbsolutePath().normalize()
                + "\ntasks:\n" + tasks + "methods: [lora]\ngrid: {learning_rate: [3e-4]}\n");
        return f;
    }

    @Test
    void badCommonsenseKeysAreReportedWithTheirLocation() throws Exception {
        Path f = grid("bad-cs", """
                  - {name: commonsense, train_mix: {boolq: 5}, eval_tasks: [cs-nope]}
                  - {name: mrpc, eval_tasks: [cs-piqa]}
                  - commonsense
                """);
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(f, Map.of())));
        String m = e.getMessage();
        assertTrue(m.contains("bad-cs.yaml:5:5: tasks[0]: task 'commonsense': train_mix.boolq: not a commonsense task"), m);
        assertTrue(m.contains("bad-cs.yaml:5:5: tasks[0]: task 'commonsense': eval_tasks: 'cs-nope' is not a commonsense task"), m);
        assertTrue(m.contains("bad-cs.yaml:6:5: tasks[1]: task 'mrpc': train_mix and eval_tasks belong to the commonsense tasks"), m);
        assertTrue(m.contains("bad-cs.yaml:7:5: tasks[2]: task 'commonsense': needs train (a file such as commonsense_15k.json) or train_mix"), m);
    }

    @Test
    void misspelledTaskSuggestsCommonsenseIds() throws Exception {
        Path f = grid("typo", "  - cs-arc-x\n");
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(f, Map.of())));
        assertTrue(e.getMessage().contains("(did you mean 'cs-arc-e'?)") || e.getMessage().contains("cs-arc-c"), e.getMessage());
    }
}
