package dev.robustsweep.trainers.model.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.oracle.PythonTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs oracle/decoder/reference.py (plain torch after Hugging Face's modeling code) on one request. */
final class DecoderOracle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecoderOracle() {}

    static JsonNode run(Path workDir, Map<String, Object> request) throws Exception {
        Path script = Path.of(DecoderOracle.class.getResource("/oracle/decoder/reference.py").toURI());
        Path req = Files.createTempFile(workDir, "request", ".json");
        Path resp = Files.createTempFile(workDir, "response", ".json");
        JSON.writeValue(req.toFile(), request);
        PythonTorch.run(script, List.of(req.toString(), resp.toString()), workDir, 600);
        return JSON.readTree(resp.toFile());
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    static List<long[]> tokenLists(JsonNode lists) {
        List<long[]> out = new ArrayList<>();
        for (JsonNode l : lists) {
            long[] t = new long[l.size()];
            for (int i = 0; i < t.length; i++) t[i] = l.get(i).asLong();
            out.add(t);
        }
        return out;
    }
}
