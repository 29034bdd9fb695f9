package dev.robustsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.store.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty-five malformed grid files, each run through {@code robustsweep run} against an existing
 * run folder of the same sweep name: exit code 2, a message naming file, line and key with what was
 * expected, no stack trace, and the run folder byte-for-byte as it was.
 */
class MalformedGridsTest {
    @TempDir static Path tmp;
    static Path model, data, runs, runDir;
    static Map<String, String> snapshot;

    static final String HEAD = "name: sweep1\nmodel: MODEL\ndata_dir: DATA\ntasks: [mrpc]\n";

    @BeforeAll
    static void existingRunFolder() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("tiny"));
        data = Fixtures.mrpcLikeData(tmp.resolve("data"), 40, 20);
        Files.writeString(data.resolve("header-only.tsv"), "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n");
        runs = tmp.resolve("runs");
        Path good = write("good.yaml", HEAD + "methods: [lora]\ngrid: {learning_rate: [1e-4, 2e-4]}\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(good));
        runDir = runs.resolve("sweep1");
        RunStore.create(runDir, "sweep1", good, Files.readAllBytes(good), v.trials(), ExecutionSettings.defaults());
        Files.createDirectories(runDir.resolve("trials/x"));
        Files.writeString(runDir.resolve("trials/x/result.json"), "{\"status\":\"completed\"}");
        snapshot = snapshot(runDir);
    }

    static Path write(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text.replace("MODEL", model.toString()).replace("DATA", data.toString()));
        return f;
    }

    static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String key = dir.relativize(p).toString();
                out.put(key, Files.isDirectory(p) ? "dir" : Files.getLastModifiedTime(p).toMillis() + ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("top-key-typo.yaml", HEAD + "metods: [lora]\n", ":5:1: metods: unknown key", "did you mean 'methods'?"),
                Arguments.of("settings-typo.yaml", HEAD + "methods: [lora]\nsettings:\n  learning_rat: 1e-4\n", ":7:3: settings.learning_rat: unknown trial parameter", "did you mean 'learning_rate'?"),
                Arguments.of("block-typo.yaml", HEAD + "methods: [lora]\nsettings:\n  lora: {lora_alpa: 16}\n", ":7:10: settings.lora.lora_alpa: unknown key in lora", "did you mean 'lora_alpha'?"),
                Arguments.of("wrong-type.yaml", HEAD + "methods: [lora]\nsettings:\n  epochs: three\n", ":7:11: settings.epochs: expected an integer, found 'three'", ""),
                Arguments.of("axis-element-type.yaml", HEAD + "methods: [lora]\ngrid:\n  batch_size: [8, big]\n", ":7:19: grid.batch_size[1]: expected an integer, found 'big'", ""),
                Arguments.of("empty-axis.yaml", HEAD + "methods: [lora]\ngrid:\n  learning_rate: []\n", ":7:18: grid.learning_rate: empty axis", ""),
                Arguments.of("axis-not-list.yaml", HEAD + "methods: [lora]\ngrid:\n  learning_rate: 3e-4\n", ":7:18: grid.learning_rate: expected a list of values", "belongs under settings"),
                Arguments.of("unknown-method.yaml", HEAD + "methods: [lora, qlora]\n", ":5:17: methods[1]: unknown method 'qlora'", "expected one of [adalora, adapter, checkpoint_ensemble, dora, full_ft, laplace_lora, llla, lora, map, mc_dropout, monteclora, temperature]"),
                Arguments.of("variant-base.yaml", HEAD + "methods:\n  mine: {method: loraa}\n", ":6:18: methods.mine.method: unknown method 'loraa'", "did you mean 'lora'?"),
                Arguments.of("indentation.yaml", HEAD + "methods: [lora]\ngrid:\n  learning_rate: [1e-4]\n batch_size: [8]\n", ":8:", "malformed YAML"),
                Arguments.of("unclosed.yaml", HEAD + "methods: [lora, dora\n", ":", "malformed YAML"),
                Arguments.of("missing-data.yaml", HEAD.replace("DATA", "/nonexistent/data") + "methods: [lora]\n", ":4:9: tasks[0]: task 'mrpc': data not readable: /nonexistent/data/glue/MRPC/train.tsv", "file not found"),
                Arguments.of("missing-model.yaml", HEAD.replace("MODEL", "/nonexistent/model") + "methods: [lora]\n", ":2:8: model: model does not load: /nonexistent/model: model folder not found", ""),
                Arguments.of("negative-rate.yaml", HEAD + "methods: [lora]\nsettings:\n  learning_rate: -1e-4\n", ":7:18: settings.learning_rate: must be a positive number, got -1.0E-4", ""),
                Arguments.of("zero-batch.yaml", HEAD + "methods: [lora]\ngrid:\n  batch_size: [0, 8]\n", ":7:16: grid.batch_size[0]: must be > 0, got 0", ""),
                Arguments.of("unknown-task.yaml", HEAD.replace("tasks: [mrpc]", "tasks: [mrcp]") + "methods: [lora]\n", ":4:9: tasks[0]: task 'mrcp': not a built-in task", "did you mean 'mrpc'?"),
                Arguments.of("empty-tasks.yaml", HEAD.replace("tasks: [mrpc]", "tasks: []") + "methods: [lora]\n", ":4:8: tasks: expected a non-empty list of tasks", ""),
                Arguments.of("missing-methods.yaml", HEAD, ":1:1: missing key 'methods'", ""),
                Arguments.of("execution-typo.yaml", HEAD + "methods: [lora]\nexecution: {worker: 2, timeout: soon}\n", ":6:13: execution.worker: unknown key in execution", "did you mean 'workers'?"),
                Arguments.of("duplicate-key.yaml", HEAD + "methods: [lora]\nsettings:\n  epochs: 2\n  epochs: 3\n", ":8:3: settings.epochs: duplicate key (first given at line 7)", ""),
                Arguments.of("custom-task-file.yaml", HEAD.replace("tasks: [mrpc]", "tasks:\n  - {name: mine, format: tsv, train: missing.tsv, dev: DATA/glue/MRPC/dev.tsv, text_fields: [a], label_field: b, label_map: {'0': 0}}")
                        + "methods: [lora]\n", ":5:5: tasks[0]: task 'mine': data not readable", "missing.tsv: file not found"),
                // issue 13: a task without dev file is never split silently
                Arguments.of("custom-task-no-dev.yaml", HEAD.replace("tasks: [mrpc]", "tasks:\n  - {name: mine, format: tsv, train: DATA/glue/MRPC/train.tsv, text_fields: ['#1 String'], label_field: Quality, label_map: {'0': 0, '1': 1}}")
                        + "methods: [lora]\n", ":5:5: tasks[0]: task 'mine': no dev file", "give 'dev', or 'dev_fraction'"),
                Arguments.of("builtin-missing-train.yaml", HEAD.replace("tasks: [mrpc]", "tasks:\n  - {name: mrpc, train: nowhere/train.tsv}")
                        + "methods: [lora]\n", ":5:5: tasks[0]: task 'mrpc': data not readable", "nowhere/train.tsv: file not found"),
                Arguments.of("header-only-train.yaml", HEAD.replace("tasks: [mrpc]", "tasks:\n  - {name: mrpc, train: DATA/header-only.tsv}")
                        + "methods: [lora]\n", ":5:5: tasks[0]: task 'mrpc': data not readable", "header-only.tsv: no examples"),
                Arguments.of("too-long.yaml", HEAD + "methods: [lora]\nsettings: {max_seq_length: 100000}\n", ":6:", "settings.max_seq_length: max_seq_length 100000 exceeds the 128 positions of model"),
                Arguments.of("bad-enum.yaml", HEAD + "methods:\n  mc: {method: monteclora, mixture: medium}\n", ":6:37: methods.mc.mixture: expected dense or sparse, got 'medium'", ""),
                Arguments.of("zero-rank.yaml", HEAD + "methods: [lora]\ngrid:\n  lora.r: [0, 8]\n", ":7:12: grid.lora.r[0]: must be > 0, got 0", ""),
                Arguments.of("slurm-typo.yaml", HEAD + "methods: [lora]\nexecution:\n  backend: slurm\n  slurm: {partiton: gpu}\n", ":8:11: execution.slurm.partiton: unknown key", "expected one of partition"),
                Arguments.of("malformed.json", "{\"name\": \"sweep1\", \"tasks\": [\"mrpc\"],\n \"methods\": [\"lora\",]}\n", ":2:21: malformed JSON", "expected a value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void clearErrorAndRunFolderUntouched(String file, String text, String where, String also) throws Exception {
        Path grid = write(file, text);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err, oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            System.setOut(new PrintStream(out, true));
            code = RobustSweep.commandLine().execute("run", grid.toString(), "--runs-dir", runs.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String message = err.toString();
        assertEquals(ExitCodes.INVALID, code, message + out);
        assertTrue(message.contains(grid + where), "expected '" + grid + where + "' in:\n" + message);
        assertTrue(message.contains(also), "expected '" + also + "' in:\n" + message);
        assertFalse(message.contains("\tat "), "no stack trace:\n" + message);
        assertEquals(snapshot, snapshot(runDir), "run folder changed");
    }
}
