package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.model.decoder.DecoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Hugging Face decoder folder (llama, mistral, qwen2): config.json, model.safetensors or a sharded
 * model.safetensors.index.json (its weight_map names each tensor's shard), tokenizer.json. Only the
 * headers are read here; tensors are loaded one by one when the model is built.
 */
public record DecoderFolder(Path dir, DecoderConfig config, Map<String, SafetensorsFile.Entry> weights,
                            Path tokenizerJson, String checksum) {
    static final String INDEX = "model.safetensors.index.json";

    /** Whether a folder's config.json names a decoder model_type (llama, mistral, qwen2). */
    public static boolean isDecoder(Path dir) {
        Path config = dir.resolve(ModelFolder.CONFIG);
        if (!Files.isRegularFile(config)) return false;
        try {
            JsonNode c = new ObjectMapper().readTree(config.toFile());
            return DecoderConfig.MODEL_TYPES.contains(c.path("model_type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    public static DecoderFolder load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir + ": model folder not found (expected a folder with config.json, model.safetensors or "
                    + INDEX + ", tokenizer.json, or \"" + TinyLlama.ID + "\")");
        }
        Path configFile = dir.resolve(ModelFolder.CONFIG);
        if (!Files.isRegularFile(configFile)) throw new ModelLoadException(configFile + ": missing (a decoder folder needs config.json)");
        DecoderConfig config;
        try {
            config = new ObjectMapper().readValue(configFile.toFile(), DecoderConfig.class);
        } catch (IOException e) {
            throw new ModelLoadException(configFile + ": malformed config.json: " + e.getMessage());
        }
        String problem = config.check();
        if (problem != null) throw new ModelLoadException(configFile + ": " + problem);
        Path tokenizer = dir.resolve(ModelFolder.TOKENIZER);
        if (!Files.isRegularFile(tokenizer)) {
            if (Files.isRegularFile(dir.resolve("tokenizer.model"))) {
                throw new ModelLoadException(tokenizer + ": missing; this folder has only a SentencePiece tokenizer.model, which"
                        + " RobustSweep cannot read. Produce tokenizer.json once with Python transformers (pip install"
                        + " transformers sentencepiece protobuf): python -c \"from transformers import AutoTokenizer;"
                        + " AutoTokenizer.from_pretrained('" + dir + "').save_pretrained('" + dir + "')\"");
            }
            throw new ModelLoadException(tokenizer + ": missing (a decoder folder needs tokenizer.json)");
        }
        Map<String, SafetensorsFile.Entry> weights = new LinkedHashMap<>();
        TreeSet<String> files = new TreeSet<>();
        Path single = dir.resolve(ModelFolder.WEIGHTS);
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(single)) {
            files.add(ModelFolder.WEIGHTS);
            weights.putAll(SafetensorsFile.header(single));
        } else if (Files.isRegularFile(index)) {
            Map<String, String> weightMap = weightMap(index);
            files.addAll(weightMap.values());
            for (String shard : files) {
                Path shardFile = dir.resolve(shard);
                if (!Files.isRegularFile(shardFile)) throw new ModelLoadException(index + ": shard " + shard + " is missing");
                Map<String, SafetensorsFile.Entry> entries = SafetensorsFile.header(shardFile);
                for (Map.Entry<String, String> w : weightMap.entrySet()) {
                    if (!w.getValue().equals(shard)) continue;
                    SafetensorsFile.Entry e = entries.get(w.getKey());
                    if (e == null) throw new ModelLoadException(index + ": tensor '" + w.getKey() + "' is mapped to " + shard + ", which does not contain it");
                    weights.put(w.getKey(), e);
                }
            }
        } else {
            throw new ModelLoadException(dir + ": no weights (expected model.safetensors or " + INDEX
                    + "; PyTorch .bin checkpoints are not read: convert them to safetensors)");
        }
        return new DecoderFolder(dir, config, weights, tokenizer, checksum(dir, files));
    }

    private static Map<String, String> weightMap(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(index + ": malformed JSON: " + e.getMessage());
        }
        JsonNode map = root.path("weight_map");
        if (!map.isObject() || map.isEmpty()) throw new ModelLoadException(index + ": weight_map: expected an object {tensor: shard file}");
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String shard = e.getValue().asText();
            if (shard.contains("/") || shard.contains("\\")) throw new ModelLoadException(index + ": weight_map: shard '" + shard + "' must be a file name in the folder");
            out.put(e.getKey(), shard);
        }
        return out;
    }

    /** "sha256:..." of the weights: of model.safetensors, or of the shard files' checksums in name order. */
    private static String checksum(Path dir, TreeSet<String> files) {
        try {
            if (files.size() == 1) return ModelFolder.sha256(dir.resolve(files.first()));
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String f : files) md.update((f + "=" + ModelFolder.sha256(dir.resolve(f)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelLoadException(dir + ": cannot checksum weights: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A required weight, checked against its expected shape, loaded as float32. */
    public Tensor require(String name, long... shape) {
        SafetensorsFile.Entry e = weights.get(name);
        if (e == null) throw new ModelLoadException(dir + ": missing tensor '" + name + "'");
        if (!java.util.Arrays.equals(e.shape(), shape)) {
            throw new ModelLoadException(e.file() + ": tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(e.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
        return SafetensorsFile.load(e);
    }

    public boolean has(String name) {
        return weights.containsKey(name);
    }
}
