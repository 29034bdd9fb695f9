package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny Hugging Face model folder (2 layers, hidden 32, 4 heads, FFN 64; random weights;
 * the real all-MiniLM-L6-v2 tokenizer.json) for tests and quick engine runs. "bert" or "roberta"
 * (RoBERTa: one token type, padding_idx 1, positions from 2, LayerNorm eps 1e-5). A BERT folder has a
 * pretrained-style pooler ({@code bert.pooler.dense.*}) as bert-base does, unless asked not to.
 */
public final class TinyModelFolder {
    public static final int HIDDEN = 32;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int FFN = 64;
    public static final int VOCAB = 30522;

    private TinyModelFolder() {}

    public static Path write(Path dir, String modelType, long seed) throws IOException {
        return write(dir, modelType, seed, true);
    }

    /** @param pooler whether a BERT folder carries bert.pooler.dense.* (RoBERTa folders never do) */
    public static Path write(Path dir, String modelType, long seed, boolean pooler) throws IOException {
        boolean roberta = "roberta".equals(modelType);
        Files.createDirectories(dir);
        int maxPositions = roberta ? 130 : 128;
        int typeVocab = roberta ? 1 : 2;
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("model_type", roberta ? "roberta" : "bert");
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", HIDDEN);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", HEADS);
        c.put("intermediate_size", FFN);
        c.put("max_position_embeddings", maxPositions);
        c.put("type_vocab_size", typeVocab);
        c.put("layer_norm_eps", roberta ? 1e-5 : 1e-12);
        c.put("pad_token_id", roberta ? 1 : 0);
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("hidden_act", "gelu");
        Files.writeString(dir.resolve(ModelFolder.CONFIG), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(c));

        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        String prefix = roberta ? "roberta." : "bert.";
        w.put(prefix + "embeddings.word_embeddings.weight", normal(rng, VOCAB, HIDDEN));
        w.put(prefix + "embeddings.position_embeddings.weight", normal(rng, maxPositions, HIDDEN));
        w.put(prefix + "embeddings.token_type_embeddings.weight", normal(rng, typeVocab, HIDDEN));
        layerNorm(w, rng, prefix + "embeddings.LayerNorm");
        for (int i = 0; i < LAYERS; i++) {
            String p = prefix + "encoder.layer." + i + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                linear(w, rng, p + m, HIDDEN, HIDDEN);
            }
            layerNorm(w, rng, p + "attention.output.LayerNorm");
            linear(w, rng, p + "intermediate.dense", FFN, HIDDEN);
            linear(w, rng, p + "output.dense", HIDDEN, FFN);
            layerNorm(w, rng, p + "output.LayerNorm");
        }
        if (pooler && !roberta) linear(w, rng, prefix + "pooler.dense", HIDDEN, HIDDEN);
        SafetensorsFile.write(dir.resolve(ModelFolder.WEIGHTS), w);
        try (InputStream in = TinyModelFolder.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) throw new IOException("all-minilm-l6-v2-tokenizer.json not on the classpath");
            Files.copy(in, dir.resolve(ModelFolder.TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    private static void linear(Map<String, Tensor> w, SplittableRandom rng, String name, int out, int in) {
        w.put(name + ".weight", normal(rng, out, in));
        w.put(name + ".bias", normal(rng, out));
    }

    private static void layerNorm(Map<String, Tensor> w, SplittableRandom rng, String name) {
        float[] gamma = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) gamma[i] = (float) (1 + 0.1 * (rng.nextDouble() - 0.5));
        w.put(name + ".weight", new Tensor(new long[] {HIDDEN}, FloatBuffer.wrap(gamma)));
        w.put(name + ".bias", normal(rng, HIDDEN));
    }

    /** N(0, 0.02^2) entries, like BERT's initializer_range, drawn by Box-Muller from {@code rng}. */
    private static Tensor normal(SplittableRandom rng, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] f = new float[(int) n];
        for (int i = 0; i < f.length; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            f[i] = (float) (0.02 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return new Tensor(shape, FloatBuffer.wrap(f));
    }
}
