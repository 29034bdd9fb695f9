package dev.robustsweep.trainers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EncodeCommandTest {
    @TempDir Path dir;

    @Test
    void writesIdsHiddenStatesAndTheirMaskedMean() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"text\": \"hello world\"}\n{\"text\": \"a question?\", \"text_pair\": \"an answer.\"}\n");
        Path out = dir.resolve("out.jsonl");
        int exit = new CommandLine(new ModelCommand()).execute("encode", "--model", "minilm-l6", "--input", in.toString(), "--output", out.toString());
        assertEquals(0, exit);
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        // [CLS] hello world [SEP] in the uncased BERT vocabulary
        assertEquals("[101,7592,2088,102]", first.get("input_ids").toString());
        JsonNode hidden = first.get("last_hidden_state");
        assertEquals(4, hidden.size());
        assertEquals(384, hidden.get(0).size());
        for (int k = 0; k < 384; k += 37) {
            double mean = 0;
            for (int j = 0; j < 4; j++) mean += hidden.get(j).get(k).asDouble() / 4;
            assertEquals(mean, first.get("mean_pooled").get(k).asDouble(), 1e-5);
        }
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertEquals(1, second.get("token_type_ids").get(second.get("token_type_ids").size() - 1).asInt());
    }

    @Test
    void missingInputIsAnError() {
        int exit = new CommandLine(new ModelCommand()).execute("encode", "--input", dir.resolve("none.jsonl").toString(), "--output", dir.resolve("o").toString());
        assertEquals(2, exit);
    }
}
