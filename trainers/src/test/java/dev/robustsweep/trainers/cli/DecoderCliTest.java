package dev.robustsweep.trainers.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** model encode and model generate on the built-in random tiny-llama. */
class DecoderCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @Test
    void encodeGivesHiddenStatesAndLogitsForTextOrIds() throws Exception {
        Path in = dir.resolve("in.jsonl");
        // "hi" is <s> h i = 1, 3 + 104, 3 + 105 in the byte-level vocabulary
        Files.writeString(in, "{\"text\": \"hi\"}\n{\"input_ids\": [1, 107, 108]}\n");
        Path out = dir.resolve("out.jsonl");
        int exit = new CommandLine(new ModelCommand()).execute("encode", "--model", "tiny-llama", "--input", in.toString(), "--output", out.toString());
        assertEquals(0, exit);
        List<String> lines = Files.readAllLines(out);
        JsonNode text = JSON.readTree(lines.get(0));
        JsonNode ids = JSON.readTree(lines.get(1));
        assertEquals("[1,107,108]", text.get("input_ids").toString());
        assertEquals(text.get("logits"), ids.get("logits"));
        assertEquals(3, text.get("logits").size());
        assertEquals(259, text.get("logits").get(0).size());
        assertEquals(64, text.get("last_hidden_state").get(0).size());
    }

    @Test
    void generateContinuesThePromptWithTheLastPositionsArgmaxFirst() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"text\": \"The answer is\"}\n");
        Path out = dir.resolve("out.jsonl");
        assertEquals(0, new CommandLine(new ModelCommand()).execute("encode", "--model", "tiny-llama", "--input", in.toString(), "--output", out.toString()));
        JsonNode logits = JSON.readTree(Files.readAllLines(out).get(0)).get("logits");
        JsonNode last = logits.get(logits.size() - 1);
        int argmax = 0;
        for (int k = 1; k < last.size(); k++) if (last.get(k).asDouble() > last.get(argmax).asDouble()) argmax = k;

        JsonNode cached = generate("--prompt", "The answer is", "--max-new-tokens", "8", "--json");
        JsonNode uncached = generate("--prompt", "The answer is", "--max-new-tokens", "8", "--json", "--no-cache");
        assertEquals(argmax, cached.get("new_ids").get(0).asInt());
        assertEquals(cached.get("new_ids"), uncached.get("new_ids"));
        assertTrue(cached.get("new_ids").size() <= 8);
        JsonNode beams = generate("--prompt", "The answer is", "--max-new-tokens", "4", "--num-beams", "4", "--json");
        assertTrue(beams.get("new_ids").size() <= 4);
    }

    @Test
    void badInputIdsAndMissingFoldersAreClearErrors() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"input_ids\": [1, 999]}\n");
        String err = stderrOf(() -> new CommandLine(new ModelCommand()).execute("encode", "--model", "tiny-llama",
                "--input", in.toString(), "--output", dir.resolve("o.jsonl").toString()), 2);
        assertTrue(err.contains("bad.jsonl:1") && err.contains("input_ids[1]") && err.contains("[0, 259)"), err);
        String missing = stderrOf(() -> new CommandLine(new ModelCommand()).execute("generate", "--model",
                dir.resolve("nope").toString(), "--prompt", "x"), 2);
        assertTrue(missing.contains("nope") && missing.contains("not found"), missing);
    }

    private JsonNode generate(String... args) throws Exception {
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new ModelCommand());
        cl.setOut(new PrintWriter(sw));
        String[] full = new String[args.length + 1];
        full[0] = "generate";
        System.arraycopy(args, 0, full, 1, args.length);
        assertEquals(0, cl.execute(full));
        return JSON.readTree(sw.toString());
    }

    private static String stderrOf(java.util.function.IntSupplier run, int expectedExit) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertEquals(expectedExit, run.getAsInt());
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }
}
