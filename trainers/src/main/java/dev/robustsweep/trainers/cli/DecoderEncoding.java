package dev.robustsweep.trainers.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.DecoderTokenizer;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.ModelLoadException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model encode} for a decoder folder: for every input line {"text": ...} or {"input_ids": [...]}
 * writes input_ids, attention_mask, last_hidden_state [seq][hidden] (after the final norm, as HF's
 * LlamaModel) and logits [seq][vocab].
 */
final class DecoderEncoding {
    private DecoderEncoding() {}

    static int encode(Path folderDir, Path input, Path output, int maxLength) throws IOException {
        String me = "robustsweep model encode";
        DecoderFolder folder;
        try {
            folder = DecoderFolder.load(folderDir);
        } catch (ModelLoadException e) {
            System.err.println(me + ": " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(input)) {
            System.err.println(me + ": " + input + ": input file not found");
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        List<String> lines = dev.robustsweep.trainers.data.Utf8Text.lines(input); // checked by EncodeCommand: UTF-8 text
        int vocab = folder.config().vocabSize;
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager();
             DecoderTokenizer tokenizer = new DecoderTokenizer(folder.tokenizerJson());
             BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            CausalLm lm = new CausalLmBuilder(folder, manager).build();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                String where = input + ":" + (i + 1) + ": ";
                JsonNode row;
                try {
                    row = json.readTree(lines.get(i));
                } catch (IOException e) {
                    System.err.println(me + ": " + where + "malformed JSON");
                    return 2;
                }
                long[] ids;
                if (row.hasNonNull("input_ids")) {
                    JsonNode arr = row.get("input_ids");
                    if (!arr.isArray() || arr.isEmpty()) {
                        System.err.println(me + ": " + where + "input_ids: expected a non-empty array of token ids");
                        return 2;
                    }
                    ids = new long[arr.size()];
                    for (int j = 0; j < ids.length; j++) {
                        JsonNode v = arr.get(j);
                        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() >= vocab) {
                            System.err.println(me + ": " + where + "input_ids[" + j + "]: expected an integer in [0, " + vocab + "), got " + v);
                            return 2;
                        }
                        ids[j] = v.asLong();
                    }
                } else if (row.hasNonNull("text")) {
                    ids = tokenizer.encode(row.get("text").asText());
                } else {
                    System.err.println(me + ": " + where + "expected \"text\" or \"input_ids\"");
                    return 2;
                }
                if (ids.length > maxLength) ids = Arrays.copyOf(ids, maxLength);
                try (NDScope ignored = new NDScope()) {
                    NDArray idArray = manager.create(ids, new Shape(1, ids.length));
                    NDArray mask = manager.ones(new Shape(1, ids.length));
                    NDArray hidden = lm.hiddenStates(idArray, mask, CausalLm.positionIds(mask), null, ForwardContext.EVAL);
                    NDArray logits = lm.logits(hidden, ForwardContext.EVAL);
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("input_ids", ids);
                    long[] ones = new long[ids.length];
                    Arrays.fill(ones, 1);
                    o.put("attention_mask", ones);
                    o.put("last_hidden_state", rows(hidden));
                    o.put("logits", rows(logits));
                    out.write(json.writeValueAsString(o));
                    out.newLine();
                }
            }
        }
        return 0;
    }

    /** [1, seq, n] -> float[seq][n]. */
    private static float[][] rows(NDArray a) {
        int t = (int) a.getShape().get(1);
        int n = (int) a.getShape().get(2);
        float[] flat = a.toFloatArray();
        float[][] out = new float[t][n];
        for (int j = 0; j < t; j++) System.arraycopy(flat, j * n, out[j], 0, n);
        return out;
    }
}
