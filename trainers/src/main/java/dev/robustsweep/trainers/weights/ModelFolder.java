package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.model.EncoderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Hugging Face model folder: config.json, model.safetensors, tokenizer.json (bert or roberta).
 * Weight names are normalised by dropping a leading "bert." / "roberta." prefix.
 */
public record ModelFolder(Path dir, EncoderConfig config, Map<String, Tensor> weights, Path tokenizerJson, String checksum) {
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String TOKENIZER = "tokenizer.json";
    /** Optional sidecar with the sha256 of model.safetensors, written by the embedded-model cache. */
    static final String CHECKSUM_SIDECAR = "model.safetensors.sha256";

    public static ModelFolder load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir + ": model folder not found (expected a folder with config.json, model.safetensors, tokenizer.json, or \"minilm-l6\")");
        }
        for (String f : new String[] {CONFIG, WEIGHTS, TOKENIZER}) {
            if (!Files.isRegularFile(dir.resolve(f))) throw new ModelLoadException(dir.resolve(f) + ": missing (a model folder needs config.json, model.safetensors and tokenizer.json)");
        }
        EncoderConfig config;
        try {
            config = new ObjectMapper().readValue(dir.resolve(CONFIG).toFile(), EncoderConfig.class);
        } catch (IOException e) {
            throw new ModelLoadException(dir.resolve(CONFIG) + ": malformed config.json: " + e.getMessage());
        }
        String problem = config.check();
        if (problem != null) throw new ModelLoadException(dir.resolve(CONFIG) + ": " + problem);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : SafetensorsFile.read(dir.resolve(WEIGHTS)).entrySet()) {
            String name = e.getKey();
            for (String prefix : new String[] {"bert.", "roberta."}) {
                if (name.startsWith(prefix)) name = name.substring(prefix.length());
            }
            weights.put(name, e.getValue());
        }
        return new ModelFolder(dir, config, weights, dir.resolve(TOKENIZER), checksum(dir));
    }

    /** "sha256:..." of model.safetensors (from the cache's sidecar when it is there). */
    private static String checksum(Path dir) {
        try {
            Path sidecar = dir.resolve(CHECKSUM_SIDECAR);
            if (Files.isRegularFile(sidecar)) return Files.readString(sidecar).trim();
            return sha256(dir.resolve(WEIGHTS));
        } catch (IOException e) {
            throw new ModelLoadException(dir + ": cannot checksum weights: " + e.getMessage());
        }
    }

    /** "sha256:<hex>" of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A required weight, or an error naming the folder and the tensor. */
    public Tensor require(String name, long... shape) {
        Tensor t = weights.get(name);
        if (t == null) throw new ModelLoadException(dir.resolve(WEIGHTS) + ": missing tensor '" + name + "'");
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new ModelLoadException(dir.resolve(WEIGHTS) + ": tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
        return t;
    }
}
