package dev.robustsweep.trainers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad inputs give a one-line error and a non-zero exit; a trial that cannot run still leaves a "failed" result. */
class TrainCommandTest {
    @TempDir static Path dir;
    static Path model;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void writeModel() throws IOException {
        model = TinyModelFolder.write(dir.resolve("tiny"), "bert", 2);
    }

    record Run(int exit, String stderr, JsonNode result) {}

    static Run train(String name, String trialJson) throws IOException {
        Path trial = dir.resolve(name + ".json");
        Files.writeString(trial, trialJson);
        Path out = dir.resolve("out-" + name);
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(err, true));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
            exit = new CommandLine(new TrainCommand()).execute("--trial", trial.toString(), "--out", out.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        Path result = out.resolve("result.json");
        return new Run(exit, err.toString(), Files.exists(result) ? JSON.readTree(result.toFile()) : null);
    }

    static String trial(String model, String extra) {
        return "{\"trial_id\": \"t\", \"model\": \"" + model + "\", \"task\": {\"name\": \"mrpc\"}, \"data_dir\": \"../data\","
                + " \"method\": \"lora\", \"epochs\": 1, \"batch_size\": 4, \"max_seq_length\": 16,"
                + " \"max_train_samples\": 4, \"max_eval_samples\": 4" + extra + "}";
    }

    static void assertOneLineFailure(Run r, String... mustContain) {
        assertEquals(1, r.exit(), r.stderr());
        assertEquals("failed", r.result().get("status").asText());
        String reason = r.result().get("reason").asText();
        for (String s : mustContain) assertTrue(reason.contains(s), reason);
        assertFalse(reason.contains("\n"), reason);
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }

    @Test
    void maxSeqLengthBeyondTheModelIsRefusedNotClamped() throws IOException {
        // the tiny BERT has 128 positions; the result must never record a length that did not run
        assertOneLineFailure(train("toolong", trial(model.toString(), "").replace("\"max_seq_length\": 16", "\"max_seq_length\": 100000")),
                "max_seq_length: 100000 exceeds the model's 128 positions");
    }

    @Test
    void anOutPathThatIsAFileIsRefusedBeforeAnyWork() throws IOException {
        Path trial = dir.resolve("outfile.json");
        Files.writeString(trial, trial(model.toString(), ""));
        Path file = Files.writeString(dir.resolve("not-a-folder"), "keep me");
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(err, true));
            System.setOut(new PrintStream(out, true));
            exit = new CommandLine(new TrainCommand()).execute("--trial", trial.toString(), "--out", file.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        assertEquals(2, exit, err.toString());
        assertEquals("robustsweep train: --out " + file + ": exists and is not a folder (result.json is written inside it)", err.toString().strip());
        assertFalse(out.toString().contains("@trial-start"), "refused before the trial started: " + out);
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void missingModelFolder() throws IOException {
        assertOneLineFailure(train("nomodel", trial(dir.resolve("absent").toString(), "")), "absent", "not found");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path broken = TinyModelFolder.write(dir.resolve("broken"), "bert", 2);
        Path w = broken.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(b, b.length / 2));
        assertOneLineFailure(train("truncated", trial(broken.toString(), "")), "model.safetensors", "truncated");
    }

    @Test
    void missingTokenizer() throws IOException {
        Path noTok = TinyModelFolder.write(dir.resolve("notok"), "bert", 2);
        Files.delete(noTok.resolve("tokenizer.json"));
        assertOneLineFailure(train("notok", trial(noTok.toString(), "")), "tokenizer.json");
    }

    @Test
    void tsvRowWithMissingColumn() throws IOException {
        Path tsv = dir.resolve("short.tsv");
        Files.writeString(tsv, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tA\n");
        String t = trial(model.toString(), "").replace("{\"name\": \"mrpc\"}", "{\"name\": \"mrpc\", \"train\": \"" + tsv + "\", \"dev\": \"" + tsv + "\"}");
        assertOneLineFailure(train("shortrow", t), tsv + ":2", "columns");
    }

    @Test
    void unknownLabelValue() throws IOException {
        Path tsv = dir.resolve("badlabel.tsv");
        Files.writeString(tsv, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tA\tB\nyes\t3\t4\tC\tD\n");
        String t = trial(model.toString(), "").replace("{\"name\": \"mrpc\"}", "{\"name\": \"mrpc\", \"train\": \"" + tsv + "\", \"dev\": \"" + tsv + "\"}");
        assertOneLineFailure(train("badlabel", t), tsv + ":3", "unknown label 'yes'");
    }

    @Test
    void unknownMethodIsABadTrialFile() throws IOException {
        Run r = train("badmethod", trial(model.toString(), "").replace("\"lora\"", "\"qlora\""));
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("method: unknown method 'qlora'"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count());
    }

    @Test
    void negativeLearningRateIsABadTrialFile() throws IOException {
        Run r = train("neglr", trial(model.toString(), ", \"learning_rate\": -1e-4"));
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("learning_rate: must be a positive number"), r.stderr());
    }

    @Test
    void unknownKeyIsABadTrialFile() throws IOException {
        Run r = train("typo", trial(model.toString(), ", \"learning_rat\": 1e-4"));
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("unknown key 'learning_rat'"), r.stderr());
    }

    @Test
    void completedTrialExitsZero() throws IOException {
        Run r = train("ok", trial(model.toString(), ""));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("completed", r.result().get("status").asText());
    }
}
