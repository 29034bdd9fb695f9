package dev.robustsweep.trainers.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.DataFormatException;
import dev.robustsweep.trainers.data.Utf8Text;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Pooling;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.ModelLoadException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code robustsweep model encode --model M --input in.jsonl --output out.jsonl}: for every input line
 * {"text": ..., "text_pair": ... (optional)} writes input_ids, attention_mask, token_type_ids,
 * last_hidden_state [seq][hidden] and mean_pooled, so a model folder can be checked against its original.
 * A decoder folder (llama, mistral, qwen2, tiny-llama) is served by {@link DecoderEncoding} (hidden states and logits).
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode JSONL text with a model and write token ids and hidden states as JSONL.")
public final class EncodeCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "minilm-l6", description = "minilm-l6, tiny-llama (random demo decoder) or a Hugging Face model folder (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--input", required = true, description = "JSONL, one {\"text\": ..., \"text_pair\": ...} per line (decoders: {\"text\": ...} or {\"input_ids\": [...]}).")
    Path input;

    @Option(names = "--output", required = true, description = "JSONL output.")
    Path output;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncation length (default: ${DEFAULT-VALUE}).")
    int maxLength;

    private static int refuse(String message) {
        System.err.println("robustsweep model encode: " + message);
        return 2;
    }

    @Override
    public Integer call() throws IOException {
        ObjectMapper json = new ObjectMapper();
        // every input checked before the engine starts
        if (maxLength < 8) return refuse("--max-length: expected an integer >= 8, found " + maxLength);
        if (!Files.isRegularFile(input)) return refuse(input + ": input file not found");
        if (Files.isDirectory(output)) return refuse("--output " + output + ": is a folder, expected a file name");
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) return refuse("--output " + output + ": folder " + parent + " does not exist");
        try {
            Utf8Text.lines(input); // a binary or non-UTF-8 input is named before any model loads
        } catch (DataFormatException e) {
            return refuse(e.getMessage());
        }
        ModelFolder folder;
        try {
            Path resolved = TinyLlama.resolve(model);
            if (DecoderFolder.isDecoder(resolved)) return DecoderEncoding.encode(resolved, input, output, maxLength);
            folder = ModelFolder.load(resolved);
        } catch (ModelLoadException e) {
            return refuse(e.getMessage());
        }
        if (maxLength > folder.config().maxSequenceLength()) {
            return refuse("--max-length: " + maxLength + " exceeds the model's " + folder.config().maxSequenceLength() + " positions");
        }
        List<String> lines;
        try {
            lines = Utf8Text.lines(input);
        } catch (DataFormatException e) {
            return refuse(e.getMessage());
        }
        List<JsonNode> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode row;
            try {
                row = json.readTree(lines.get(i));
            } catch (IOException e) {
                return refuse(input + ":" + (i + 1) + ": malformed JSON");
            }
            if (!row.isObject() || !row.hasNonNull("text")) return refuse(input + ":" + (i + 1) + ": expected an object with \"text\"");
            inputs.add(row);
        }
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager();
             TextEncoder text = new TextEncoder(folder.tokenizerJson(), maxLength);
             BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            SequenceClassifier classifier = new ClassifierBuilder(folder, manager).build();
            Batcher batcher = new Batcher(folder.config());
            for (JsonNode row : inputs) {
                String pair = row.hasNonNull("text_pair") ? row.get("text_pair").asText() : null;
                TokenizedExample ex = text.encode(row.get("text").asText(), pair, 0);
                try (NDScope ignored = new NDScope()) {
                    EncoderInput in = batcher.input(List.of(ex), manager);
                    NDArray hidden = classifier.encoder().forward(in, ForwardContext.EVAL);
                    int t = (int) hidden.getShape().get(1);
                    int h = (int) hidden.getShape().get(2);
                    float[] flat = hidden.toFloatArray();
                    float[][] rows = new float[t][h];
                    for (int j = 0; j < t; j++) System.arraycopy(flat, j * h, rows[j], 0, h);
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("input_ids", ex.ids());
                    o.put("attention_mask", in.attentionMask().toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray());
                    o.put("token_type_ids", in.tokenTypeIds().toLongArray());
                    o.put("last_hidden_state", rows);
                    o.put("mean_pooled", Pooling.pool("mean", hidden, in.attentionMask()).toFloatArray());
                    out.write(json.writeValueAsString(o));
                    out.newLine();
                }
            }
        }
        return 0;
    }
}
