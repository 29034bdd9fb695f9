package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a small random decoder folder (llama, mistral or qwen2) with Hugging Face's names, a
 * config.json and the byte-level {@link ByteLevelTokenizerJson}: the built-in tiny-llama, the
 * tests' folders and the benchmark's model. Weights ~ N(0, std^2) drawn from the seed; norm weights
 * 1 + 0.1 N(0, 1). Optional BF16 storage and sharding into model-0000k-of-0000n.safetensors files.
 */
public final class TinyDecoderFolder {
    /** The architecture and storage of a folder to write. */
    public record Spec(String modelType, int vocab, int hidden, int layers, int heads, int kvHeads, int ffn,
                       boolean tied, boolean llama3Rope, Integer slidingWindow, double std, String dtype, int shards) {
        public Spec withType(String type) {
            return new Spec(type, vocab, hidden, layers, heads, kvHeads, ffn, tied, llama3Rope, slidingWindow, std, dtype, shards);
        }

        public Spec withStorage(String storageDtype, int shardCount) {
            return new Spec(modelType, vocab, hidden, layers, heads, kvHeads, ffn, tied, llama3Rope, slidingWindow, std, storageDtype, shardCount);
        }

        public Spec withTied(boolean tiedHead) {
            return new Spec(modelType, vocab, hidden, layers, heads, kvHeads, ffn, tiedHead, llama3Rope, slidingWindow, std, dtype, shards);
        }

        public Spec withWindow(Integer window) {
            return new Spec(modelType, vocab, hidden, layers, heads, kvHeads, ffn, tied, llama3Rope, window, std, dtype, shards);
        }
    }

    private TinyDecoderFolder() {}

    public static Path write(Path dir, Spec s, long seed) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.put("model_type", s.modelType());
        c.putArray("architectures").add(switch (s.modelType()) {
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "LlamaForCausalLM";
        });
        c.put("vocab_size", s.vocab());
        c.put("hidden_size", s.hidden());
        c.put("intermediate_size", s.ffn());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("max_position_embeddings", 2048);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", s.modelType().equals("llama") ? 10000.0 : 1000000.0);
        if (s.llama3Rope()) {
            ObjectNode r = c.putObject("rope_scaling");
            // small original context so all three wavelength bands occur with a tiny head_dim
            r.put("rope_type", "llama3");
            r.put("factor", 8.0);
            r.put("low_freq_factor", 1.0);
            r.put("high_freq_factor", 4.0);
            r.put("original_max_position_embeddings", 64);
        }
        c.put("tie_word_embeddings", s.tied());
        c.put("hidden_act", "silu");
        c.put("attention_dropout", 0.0);
        if (s.slidingWindow() != null) {
            c.put("sliding_window", s.slidingWindow());
            if (s.modelType().equals("qwen2")) c.put("use_sliding_window", true);
        }
        c.put("bos_token_id", ByteLevelTokenizerJson.BOS);
        c.put("eos_token_id", ByteLevelTokenizerJson.EOS);
        c.put("pad_token_id", ByteLevelTokenizerJson.UNK);
        c.put("torch_dtype", s.dtype().equals("BF16") ? "bfloat16" : "float32");
        Files.writeString(dir.resolve(ModelFolder.CONFIG), json.writerWithDefaultPrettyPrinter().writeValueAsString(c));

        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int h = s.hidden();
        int d = h / s.heads();
        boolean qkvBias = s.modelType().equals("qwen2");
        w.put("model.embed_tokens.weight", normal(rng, s.std(), s.vocab(), h));
        for (int i = 0; i < s.layers(); i++) {
            String p = "model.layers." + i + ".";
            w.put(p + "input_layernorm.weight", norm(rng, h));
            linear(w, rng, s.std(), p + "self_attn.q_proj", s.heads() * d, h, qkvBias);
            linear(w, rng, s.std(), p + "self_attn.k_proj", s.kvHeads() * d, h, qkvBias);
            linear(w, rng, s.std(), p + "self_attn.v_proj", s.kvHeads() * d, h, qkvBias);
            linear(w, rng, s.std(), p + "self_attn.o_proj", h, s.heads() * d, false);
            w.put(p + "post_attention_layernorm.weight", norm(rng, h));
            linear(w, rng, s.std(), p + "mlp.gate_proj", s.ffn(), h, false);
            linear(w, rng, s.std(), p + "mlp.up_proj", s.ffn(), h, false);
            linear(w, rng, s.std(), p + "mlp.down_proj", h, s.ffn(), false);
        }
        w.put("model.norm.weight", norm(rng, h));
        if (!s.tied()) w.put("lm_head.weight", normal(rng, s.std(), s.vocab(), h));
        writeWeights(dir, w, s.dtype(), s.shards());
        ByteLevelTokenizerJson.write(dir.resolve(ModelFolder.TOKENIZER));
        return dir;
    }

    /** One model.safetensors, or n shards plus model.safetensors.index.json (tensors split in order). */
    static void writeWeights(Path dir, Map<String, Tensor> w, String dtype, int shards) throws IOException {
        if (shards <= 1) {
            SafetensorsFile.write(dir.resolve(ModelFolder.WEIGHTS), w, dtype);
            return;
        }
        List<String> names = new ArrayList<>(w.keySet());
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        int per = (names.size() + shards - 1) / shards;
        for (int k = 0; k < shards; k++) {
            String file = String.format("model-%05d-of-%05d.safetensors", k + 1, shards);
            Map<String, Tensor> part = new LinkedHashMap<>();
            for (int i = k * per; i < Math.min(names.size(), (k + 1) * per); i++) {
                part.put(names.get(i), w.get(names.get(i)));
                map.put(names.get(i), file);
            }
            SafetensorsFile.write(dir.resolve(file), part, dtype);
        }
        Files.writeString(dir.resolve(DecoderFolder.INDEX), json.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    }

    private static void linear(Map<String, Tensor> w, SplittableRandom rng, double std, String name, int out, int in, boolean bias) {
        w.put(name + ".weight", normal(rng, std, out, in));
        if (bias) w.put(name + ".bias", normal(rng, std, out));
    }

    private static Tensor norm(SplittableRandom rng, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (1 + 0.1 * gaussian(rng));
        return new Tensor(new long[] {n}, FloatBuffer.wrap(f));
    }

    private static Tensor normal(SplittableRandom rng, double std, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] f = new float[(int) n];
        for (int i = 0; i < f.length; i++) f[i] = (float) (std * gaussian(rng));
        return new Tensor(shape, FloatBuffer.wrap(f));
    }

    /** Standard normal by Box-Muller. */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
