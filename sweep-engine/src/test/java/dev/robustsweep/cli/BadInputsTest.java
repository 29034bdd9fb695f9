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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand (run, resume, status, cancel, report, train, model encode) against a table of bad
 * inputs a user or a crash can produce: malformed, missing, damaged or binary files, wrong options.
 * Each must exit with its documented code, say what is wrong (naming the file or option), and never
 * print a Java stack trace ("\tat " lines) or a Java class name.
 */
class BadInputsTest {
    @TempDir static Path tmp;
    static Path model, data, goodGrid, run, lockOnly, noTrials;

    @BeforeAll
    static void material() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("tiny"));
        data = Fixtures.mrpcLikeData(tmp.resolve("data"), 40, 20);
        goodGrid = Fixtures.grid(tmp, "good", model, data, "methods: [lora]\ngrid: {learning_rate: [1e-4, 2e-4]}\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(goodGrid));
        run = tmp.resolve("runs/good");
        RunStore.create(run, "good", goodGrid, Files.readAllBytes(goodGrid), v.trials(), ExecutionSettings.defaults());
        // the folder kill -9 leaves when 'run' dies right after taking the lock
        lockOnly = Files.createDirectories(tmp.resolve("runs/killed"));
        Files.writeString(lockOnly.resolve("run.lock"), "");
        noTrials = Files.createDirectories(tmp.resolve("empty-dir"));
        write("binary.bin", new byte[] {0x00, 0x01, (byte) 0xFF, (byte) 0xFE, 0x7F, 0x00});
        write("utf16.yaml", "\uFEFFname: x\n".getBytes(StandardCharsets.UTF_16LE));
        write("empty.yaml", new byte[0]);
        write("header-only.csv", "task,method,learning_rate,accuracy,nll\n".getBytes(StandardCharsets.UTF_8));
        write("good.csv", "task,method,learning_rate,accuracy,nll\nmrpc,lora,1e-4,0.8,0.5\nmrpc,dora,1e-4,0.7,0.6\n".getBytes(StandardCharsets.UTF_8));
        write("latin1.csv", "task,method,learning_rate,accuracy,nll\nmrpc,lora\u00e9,1e-4,0.8,0.5\n".getBytes(StandardCharsets.ISO_8859_1));
        write("bad-number.csv", "task,method,learning_rate,accuracy,nll\nmrpc,lora,1e-4,high,0.5\n".getBytes(StandardCharsets.UTF_8));
        write("array-trial.json", "[1, 2]".getBytes(StandardCharsets.UTF_8));
        write("unknown-key-trial.json", "{\"trial_id\": \"t\", \"method\": \"lora\", \"task\": {\"name\": \"mrpc\"}, \"learning_rat\": 1}".getBytes(StandardCharsets.UTF_8));
        write("task-array-trial.json", "{\"trial_id\": \"t\", \"method\": \"lora\", \"task\": [\"mrpc\"]}".getBytes(StandardCharsets.UTF_8));
        write("ok-trial.json", ("{\"trial_id\": \"t\", \"method\": \"lora\", \"task\": {\"name\": \"mrpc\"}, \"model\": \"" + model + "\", \"data_dir\": \"" + data + "\"}").getBytes(StandardCharsets.UTF_8));
        write("a-file", "x".getBytes(StandardCharsets.UTF_8));
        write("malformed.jsonl", "{\"text\": \"fine\"}\n{\"text\": \n".getBytes(StandardCharsets.UTF_8));
        write("good.jsonl", "{\"text\": \"the cat sat\"}\n".getBytes(StandardCharsets.UTF_8));
        // damaged run folders: truncated sweep.json, sweep.json not an object, truncated trials.jsonl
        damaged("truncated-sweep", "sweep.json", s -> s.substring(0, s.length() / 2));
        damaged("array-sweep", "sweep.json", s -> "[]");
        damaged("truncated-trials", "trials.jsonl", s -> s.substring(0, s.indexOf('\n') + 20));
        damaged("empty-trials", "trials.jsonl", s -> "");
        damaged("bad-devices", "sweep.json", s -> s.replaceFirst("\"devices\"\\s*:\\s*\"cpu\"", "\"devices\": \"gpu zero\""));
        damaged("foreign-trials", "trials.jsonl", s -> "{\"trial_id\": \"x\", \"colour\": \"red\"}\n");
        // header-only train file and an over-long max_seq_length, which used to pass the dry run
        Files.writeString(tmp.resolve("data/header-only.tsv"), "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n");
        Fixtures.grid(tmp, "headeronly", model, data, "methods: [lora]\n").toFile();
        Path h = tmp.resolve("headeronly.yaml");
        Files.writeString(h, Files.readString(h).replace("tasks: [mrpc]", "tasks:\n  - {name: mrpc, train: " + data.resolve("header-only.tsv") + "}"));
        Fixtures.grid(tmp, "toolong", model, data, "methods: [lora]\nsettings: {max_seq_length: 100000}\n");
        Fixtures.grid(tmp, "nodev", model, data, "methods: [lora]\n");
        Path nd = tmp.resolve("nodev.yaml");
        Files.writeString(nd, Files.readString(nd).replace("tasks: [mrpc]", "tasks:\n  - {name: mrpc, train: glue/MRPC/train.tsv, dev: glue/MRPC/missing.tsv}"));
    }

    interface Edit {
        String apply(String s);
    }

    static void damaged(String name, String file, Edit edit) throws Exception {
        Path d = tmp.resolve("runs").resolve(name);
        Files.createDirectories(d);
        for (String f : List.of("sweep.json", "trials.jsonl", "grid.yaml")) Files.copy(run.resolve(f), d.resolve(f));
        Files.writeString(d.resolve(file), edit.apply(Files.readString(d.resolve(file))));
    }

    static void write(String name, byte[] bytes) throws Exception {
        Files.write(tmp.resolve(name), bytes);
    }

    static String p(String name) {
        return tmp.resolve(name).toString();
    }

    static Stream<Arguments> cases() {
        String runs = p("runs");
        List<Arguments> c = new ArrayList<>();
        // run
        c.add(Arguments.of(2, "no such grid file", List.of("run", p("nope.yaml")), "nope.yaml"));
        c.add(Arguments.of(2, "grid is a folder", List.of("run", p("empty-dir")), "empty-dir"));
        c.add(Arguments.of(2, "binary grid", List.of("run", p("binary.bin"), "--dry-run"), "binary.bin"));
        c.add(Arguments.of(2, "UTF-16 grid", List.of("run", p("utf16.yaml"), "--dry-run"), "UTF-8"));
        c.add(Arguments.of(2, "empty grid", List.of("run", p("empty.yaml"), "--dry-run"), "empty.yaml"));
        c.add(Arguments.of(2, "zero workers", List.of("run", goodGrid.toString(), "--dry-run", "--workers", "0"), "--workers"));
        c.add(Arguments.of(2, "GPU this machine lacks", List.of("run", goodGrid.toString(), "--dry-run", "--devices", "97"), "GPU 97 does not exist"));
        c.add(Arguments.of(2, "devices not ids", List.of("run", goodGrid.toString(), "--dry-run", "--devices", "gpu0"), "--devices"));
        c.add(Arguments.of(2, "bad timeout", List.of("run", goodGrid.toString(), "--dry-run", "--timeout", "soon"), "--timeout"));
        c.add(Arguments.of(2, "not a number", List.of("run", goodGrid.toString(), "--workers", "many"), "--workers"));
        c.add(Arguments.of(2, "unknown option", List.of("run", goodGrid.toString(), "--worker", "2"), "--worker"));
        c.add(Arguments.of(2, "negative threads", List.of("run", goodGrid.toString(), "--dry-run", "--threads", "-1"), "--threads"));
        c.add(Arguments.of(2, "negative retries", List.of("run", goodGrid.toString(), "--dry-run", "--max-retries", "-1"), "--max-retries"));
        c.add(Arguments.of(2, "unknown backend", List.of("run", goodGrid.toString(), "--dry-run", "--backend", "kubernetes"), "--backend"));
        if (new dev.robustsweep.engine.slurm.SlurmClient(java.time.Duration.ofSeconds(10)).whyUnavailable().isPresent()) {
            // without a controller, --backend slurm is refused before anything is written; where one answers
            // (CI), the same command runs on the partition's defaults, which the Slurm tests cover
            c.add(Arguments.of(2, "slurm without a controller", List.of("run", goodGrid.toString(), "--backend", "slurm", "--runs-dir", p("runs-slurm")), "slurm"));
        }
        c.add(Arguments.of(2, "runs dir is a file", List.of("run", goodGrid.toString(), "--runs-dir", p("a-file")), "a-file"));
        c.add(Arguments.of(2, "header-only train file", List.of("run", p("headeronly.yaml"), "--dry-run"), "header-only.tsv: no examples"));
        c.add(Arguments.of(2, "max_seq_length beyond the model", List.of("run", p("toolong.yaml"), "--dry-run"), "exceeds the 128 positions"));
        c.add(Arguments.of(2, "missing dev file", List.of("run", p("nodev.yaml"), "--dry-run"), "missing.tsv: file not found"));
        // resume and status on folders that are not (whole) run folders
        for (String cmd : List.of("resume", "status")) {
            c.add(Arguments.of(2, cmd + " missing folder", List.of(cmd, p("nope")), "not a run folder"));
            c.add(Arguments.of(2, cmd + " a file", List.of(cmd, p("a-file")), "not a run folder"));
            c.add(Arguments.of(2, cmd + " empty folder", List.of(cmd, p("empty-dir")), "not a run folder"));
            c.add(Arguments.of(2, cmd + " only run.lock", List.of(cmd, lockOnly.toString()), "interrupted 'robustsweep run'"));
            c.add(Arguments.of(2, cmd + " truncated sweep.json", List.of(cmd, runs + "/truncated-sweep"), "sweep.json: damaged"));
            c.add(Arguments.of(2, cmd + " sweep.json not an object", List.of(cmd, runs + "/array-sweep"), "sweep.json: damaged"));
            c.add(Arguments.of(2, cmd + " truncated trials.jsonl", List.of(cmd, runs + "/truncated-trials"), "trials.jsonl:2"));
            c.add(Arguments.of(2, cmd + " empty trials.jsonl", List.of(cmd, runs + "/empty-trials"), "holds 0 trials"));
            c.add(Arguments.of(2, cmd + " foreign trials.jsonl", List.of(cmd, runs + "/foreign-trials"), "unknown key 'colour'"));
        }
        c.add(Arguments.of(2, "resume with damaged devices", List.of("resume", runs + "/bad-devices"), "sweep.json: damaged: execution.devices"));
        c.add(Arguments.of(2, "resume zero workers", List.of("resume", run.toString(), "--workers", "0"), "--workers"));
        c.add(Arguments.of(2, "resume GPU this machine lacks", List.of("resume", run.toString(), "--devices", "97"), "GPU 97 does not exist"));
        // cancel
        c.add(Arguments.of(2, "cancel missing folder", List.of("cancel", p("nope")), "not a run folder"));
        c.add(Arguments.of(2, "status extra argument", List.of("status", run.toString(), "extra"), "extra"));
        c.add(Arguments.of(2, "cancel negative grace", List.of("cancel", run.toString(), "--grace", "-1"), "--grace"));
        // report
        c.add(Arguments.of(2, "report missing input", List.of("report", p("nope.csv")), "nope.csv"));
        c.add(Arguments.of(2, "report header-only CSV", List.of("report", p("header-only.csv"), "--out", p("rep1")), "header-only.csv"));
        c.add(Arguments.of(2, "report bad number", List.of("report", p("bad-number.csv"), "--out", p("rep2")), "bad-number.csv"));
        c.add(Arguments.of(2, "report binary file", List.of("report", p("binary.bin"), "--out", p("rep3")), "binary.bin"));
        c.add(Arguments.of(2, "report folder without results", List.of("report", p("empty-dir")), "no result.json"));
        c.add(Arguments.of(2, "report bad alternative", List.of("report", p("header-only.csv"), "--alternative", "bigger"), "bigger"));
        c.add(Arguments.of(2, "report unknown metric", List.of("report", p("good.csv"), "--metric", "bleu", "--out", p("rep5")), "bleu"));
        c.add(Arguments.of(2, "report unknown reference", List.of("report", p("good.csv"), "--reference", "qlora", "--out", p("rep6")), "qlora"));
        c.add(Arguments.of(2, "report bad test method", List.of("report", p("good.csv"), "--test-method", "magic"), "magic"));
        c.add(Arguments.of(2, "report bad zero method", List.of("report", p("good.csv"), "--zero-method", "drop"), "drop"));
        c.add(Arguments.of(2, "report neither folder nor csv", List.of("report", p("a-file")), "a-file"));
        c.add(Arguments.of(2, "report out is a file", List.of("report", p("good.csv"), "--out", p("a-file")), "a-file"));
        c.add(Arguments.of(2, "report Latin-1 CSV", List.of("report", p("latin1.csv"), "--out", p("rep4")), "line 2: not UTF-8 text"));
        // train
        c.add(Arguments.of(2, "train missing trial", List.of("train", "--trial", p("nope.json"), "--out", p("o1")), "nope.json"));
        c.add(Arguments.of(2, "train trial is a list", List.of("train", "--trial", p("array-trial.json"), "--out", p("o2")), "expected an object"));
        c.add(Arguments.of(2, "train unknown key", List.of("train", "--trial", p("unknown-key-trial.json"), "--out", p("o3")), "unknown key 'learning_rat' (did you mean 'learning_rate'?)"));
        c.add(Arguments.of(2, "train task is a list", List.of("train", "--trial", p("task-array-trial.json"), "--out", p("o4")), "task: expected an object"));
        c.add(Arguments.of(2, "train binary trial", List.of("train", "--trial", p("binary.bin"), "--out", p("o5")), "binary.bin"));
        c.add(Arguments.of(2, "train out is a file", List.of("train", "--trial", p("ok-trial.json"), "--out", p("a-file")), "exists and is not a folder"));
        c.add(Arguments.of(2, "train without --out", List.of("train", "--trial", p("ok-trial.json")), "--out"));
        // model encode
        c.add(Arguments.of(2, "encode missing input", List.of("model", "encode", "--model", model.toString(), "--input", p("nope.jsonl"), "--output", p("e1.jsonl")), "nope.jsonl"));
        c.add(Arguments.of(2, "encode missing model", List.of("model", "encode", "--model", p("no-model"), "--input", p("good.jsonl"), "--output", p("e2.jsonl")), "no-model"));
        c.add(Arguments.of(2, "encode binary input", List.of("model", "encode", "--model", model.toString(), "--input", p("binary.bin"), "--output", p("e3.jsonl")), "binary.bin"));
        c.add(Arguments.of(2, "encode malformed input", List.of("model", "encode", "--model", model.toString(), "--input", p("malformed.jsonl"), "--output", p("e4.jsonl")), "malformed.jsonl:2"));
        c.add(Arguments.of(2, "encode output is a folder", List.of("model", "encode", "--model", model.toString(), "--input", p("good.jsonl"), "--output", p("empty-dir")), "empty-dir"));
        c.add(Arguments.of(2, "encode output folder missing", List.of("model", "encode", "--model", model.toString(), "--input", p("good.jsonl"), "--output", p("no/such/dir/out.jsonl")), "no/such/dir"));
        c.add(Arguments.of(2, "encode zero length", List.of("model", "encode", "--model", model.toString(), "--input", p("good.jsonl"), "--output", p("e5.jsonl"), "--max-length", "0"), "--max-length"));
        c.add(Arguments.of(2, "decoder encode binary input", List.of("model", "encode", "--model", "tiny-llama", "--input", p("binary.bin"), "--output", p("e6.jsonl")), "binary.bin"));
        c.add(Arguments.of(2, "decoder encode output folder missing", List.of("model", "encode", "--model", "tiny-llama", "--input", p("good.jsonl"), "--output", p("no/such/dir/out.jsonl")), "no/such/dir"));
        // model generate
        c.add(Arguments.of(2, "generate missing model", List.of("model", "generate", "--model", p("no-model"), "--prompt", "hi"), "no-model"));
        c.add(Arguments.of(2, "generate encoder folder", List.of("model", "generate", "--model", model.toString(), "--prompt", "hi"), model.toString()));
        c.add(Arguments.of(2, "generate zero tokens", List.of("model", "generate", "--prompt", "hi", "--max-new-tokens", "0"), "--max-new-tokens"));
        c.add(Arguments.of(2, "generate without prompt", List.of("model", "generate"), "--prompt"));
        c.add(Arguments.of(2, "unknown subcommand", List.of("runn", goodGrid.toString()), "runn"));
        return c.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void aClearMessageTheDocumentedExitCodeAndNoStackTrace(int exit, String what, List<String> args, String mentions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out, e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = RobustSweep.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(exit, code, what + ":\n" + all);
        assertFalse(all.contains("\tat "), "no stack trace for a user error:\n" + all);
        assertFalse(all.matches("(?s).*\\b(java|com\\.fasterxml|dev\\.robustsweep)\\.[a-z]+\\.[A-Za-z.]*.*"), "no Java class names:\n" + all);
        assertTrue(all.contains(mentions), "expected '" + mentions + "' in:\n" + all);
    }
}
