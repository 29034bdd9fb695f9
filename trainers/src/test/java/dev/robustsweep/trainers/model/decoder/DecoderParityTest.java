package dev.robustsweep.trainers.model.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyDecoderFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder against the plain-torch reference (oracle/decoder/reference.py, written after Hugging
 * Face's modeling_llama / modeling_mistral / modeling_qwen2): logits with left padding, greedy and
 * beam generation token for token, one LoRA step's loss and gradients. Folders are written here.
 */
class DecoderParityTest {
    /** llama with GQA (4 heads / 2 KV heads), llama3 rope scaling, untied head. */
    static final TinyDecoderFolder.Spec LLAMA =
            new TinyDecoderFolder.Spec("llama", 259, 32, 2, 4, 2, 64, false, true, null, 0.15, "F32", 1);
    static final TinyDecoderFolder.Spec MISTRAL = LLAMA.withType("mistral").withWindow(5);
    static final TinyDecoderFolder.Spec QWEN2 = new TinyDecoderFolder.Spec("qwen2", 259, 32, 2, 4, 1, 64, true, false, null, 0.15, "F32", 1);
    /** Three prompts of different lengths, left-padded into one batch. */
    static final List<long[]> PROMPTS = List.of(
            new long[] {1, 76, 104, 111, 32, 119, 114, 111, 107},
            new long[] {1, 50, 60, 70, 80},
            new long[] {1, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210});

    @TempDir static Path dir;
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = EngineSetup.start(0);
    }

    @Test
    void llamaLogitsMatchReferenceWithLeftPadding() throws Exception {
        checkLogits(TinyDecoderFolder.write(dir.resolve("llama"), LLAMA, 11));
    }

    @Test
    void mistralLogitsMatchReferenceWithSlidingWindow() throws Exception {
        checkLogits(TinyDecoderFolder.write(dir.resolve("mistral"), MISTRAL, 12));
    }

    @Test
    void qwen2LogitsMatchReferenceWithBiasesAndTiedHead() throws Exception {
        checkLogits(TinyDecoderFolder.write(dir.resolve("qwen2"), QWEN2, 13));
    }

    @Test
    void shardedBf16FolderLoadsAndMatchesReference() throws Exception {
        Path f32 = TinyDecoderFolder.write(dir.resolve("f32"), LLAMA, 14);
        Path sharded = TinyDecoderFolder.write(dir.resolve("sharded"), LLAMA.withStorage("F32", 3), 14);
        Path bf16 = TinyDecoderFolder.write(dir.resolve("bf16"), LLAMA.withStorage("BF16", 2), 14);
        try (NDManager m = engine.newBaseManager()) {
            float[] a = javaLogits(f32, m);
            float[] b = javaLogits(sharded, m);
            assertArrayEquals(a, b, "a sharded F32 folder loads the same tensors");
            float[] c = javaLogits(bf16, m);
            double diff = maxAbsDiff(a, c);
            assertTrue(diff > 0 && diff < 0.5, "BF16 storage rounds the weights a little: " + diff);
        }
        checkLogits(bf16);
    }

    /** Java logits equal the reference's at every real (non-pad) position to 1e-4; a padded row equals the row alone. */
    private static void checkLogits(Path folder) throws Exception {
        long[][] ids = leftPad(PROMPTS, 0);
        long[][] mask = maskOf(PROMPTS);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("mode", "logits");
        req.put("folder", folder.toString());
        req.put("input_ids", ids);
        req.put("attention_mask", mask);
        JsonNode resp = DecoderOracle.run(dir, req);
        float[] expected = DecoderOracle.floats(resp.get("logits"));
        try (NDManager m = engine.newBaseManager()) {
            float[] actual = javaLogits(folder, m);
            int t = ids[0].length;
            int v = 259;
            double worst = 0;
            for (int r = 0; r < ids.length; r++) {
                for (int j = 0; j < t; j++) {
                    if (mask[r][j] == 0) continue;
                    for (int k = 0; k < v; k++) {
                        int i = (r * t + j) * v + k;
                        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                    }
                }
            }
            System.out.printf("parity %s: max |logit java - torch| over real positions = %.3g%n", folder.getFileName(), worst);
            assertTrue(worst < 1e-4, folder.getFileName() + ": max logit difference " + worst);
            // the shortest row alone gives the same logits as inside the padded batch
            CausalLm model = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
            long[] alone = PROMPTS.get(1);
            float[] single = model.forward(m.create(alone, new Shape(1, alone.length)),
                    m.ones(new Shape(1, alone.length)), ForwardContext.EVAL).toFloatArray();
            int pad = t - alone.length;
            float[] inBatch = new float[alone.length * v];
            System.arraycopy(actual, (t + pad) * v, inBatch, 0, inBatch.length);
            assertArrayEquals(single, inBatch, 1e-4f, "left padding changes nothing for the real tokens");
        }
    }

    private static float[] javaLogits(Path folder, NDManager m) {
        CausalLm model = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
        long[][] ids = leftPad(PROMPTS, 0);
        long[][] mask = maskOf(PROMPTS);
        return model.forward(m.create(ids), m.create(mask), ForwardContext.EVAL).toFloatArray();
    }

    @Test
    void greedyAndBeamGenerationMatchReferenceWithAndWithoutCache() throws Exception {
        Path folder = TinyDecoderFolder.write(dir.resolve("gen"), LLAMA, 21);
        try (NDManager m = engine.newBaseManager()) {
            CausalLm model = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
            Generator gen = new Generator(model, m);
            GenerationSettings free = new GenerationSettings(12, 1, List.of(), 0, 1.0, true);
            List<long[]> unstopped = gen.generate(PROMPTS, free);
            // make the 5th token of the first prompt the EOS, so stopping (and padding of a finished row) is exercised
            long eos = unstopped.get(0)[4];
            GenerationSettings greedy = new GenerationSettings(12, 1, List.of(eos), 0, 1.0, true);
            List<long[]> cached = gen.generate(PROMPTS, greedy);
            List<long[]> uncached = gen.generate(PROMPTS, greedy.withCache(false));
            assertTokensEqual(cached, uncached, "greedy with and without the KV cache");
            assertEquals(eos, cached.get(0)[cached.get(0).length - 1]);
            assertTokensEqual(reference(folder, greedy), cached, "greedy vs reference");

            GenerationSettings beam = greedy.withBeams(4);
            List<long[]> beamCached = gen.generate(PROMPTS, beam);
            assertTokensEqual(beamCached, gen.generate(PROMPTS, beam.withCache(false)), "beam search with and without the KV cache");
            assertTokensEqual(reference(folder, beam), beamCached, "beam search vs reference");
            // one beam is greedy
            assertTokensEqual(cached, gen.generate(PROMPTS, greedy.withBeams(1)), "num_beams 1");
        }
    }

    private static List<long[]> reference(Path folder, GenerationSettings s) throws Exception {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("mode", "generate");
        req.put("folder", folder.toString());
        req.put("prompts", PROMPTS);
        req.put("max_new_tokens", s.maxNewTokens());
        req.put("num_beams", s.numBeams());
        req.put("eos", s.eosTokenIds());
        req.put("pad", s.padTokenId());
        req.put("use_cache", true);
        return DecoderOracle.tokenLists(DecoderOracle.run(dir, req).get("tokens"));
    }

    @Test
    void loraStepLossAndGradientsMatchReference() throws Exception {
        Path folder = TinyDecoderFolder.write(dir.resolve("lora"), LLAMA, 31);
        long[][] ids = leftPad(PROMPTS, 0);
        long[][] mask = maskOf(PROMPTS);
        long[][] labels = labelsIgnoringPads(ids, mask);
        labels[2][3] = TokenNll.IGNORE_INDEX; // a masked prompt token inside a row
        labels[2][4] = TokenNll.IGNORE_INDEX;
        try (NDManager m = engine.newBaseManager()) {
            CausalLm model = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
            SplittableRandom rng = new SplittableRandom(5);
            Map<String, Object> lora = new LinkedHashMap<>();
            List<Parameter> trainable = new ArrayList<>();
            for (Linear l : model.targetLinears(List.of("q_proj", "v_proj", "down_proj"))) {
                LoraAdapter a = LoraAdapter.create(l, 4, 8, false, 0.0, m, rng);
                // B = 0 at initialisation would give A no gradient: start from a nonzero B
                float[] b = new float[(int) a.b().size()];
                for (int i = 0; i < b.length; i++) b[i] = (float) (rng.nextDouble() - 0.5) * 0.2f;
                a.b().array().set(b);
                l.setAdapter(a);
                for (Parameter p : a.parameters()) {
                    p.setTrainable(true);
                    trainable.add(p);
                }
                lora.put(l.name(), Map.of("A", matrix(a.a().array()), "B", matrix(a.b().array()), "scaling", a.scaling()));
            }
            float loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray logits = model.forward(m.create(ids), m.create(mask), ForwardContext.TRAIN);
                NDArray l = TokenNll.mean(logits, m.create(labels));
                gc.backward(l);
                loss = l.getFloat();
            }
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("mode", "lora_step");
            req.put("folder", folder.toString());
            req.put("input_ids", ids);
            req.put("attention_mask", mask);
            req.put("labels", labels);
            req.put("lora", lora);
            JsonNode resp = DecoderOracle.run(dir, req);
            double refLoss = resp.get("loss").asDouble();
            System.out.printf("parity lora step: loss java %.7f torch %.7f%n", loss, refLoss);
            assertEquals(refLoss, loss, 1e-5, "loss");
            double worst = 0;
            double scale = 0;
            for (Parameter p : trainable) {
                float[] expected = DecoderOracle.floats(resp.get("grads").get(p.name()));
                float[] actual = p.array().getGradient().toFloatArray();
                assertEquals(expected.length, actual.length, p.name());
                worst = Math.max(worst, maxAbsDiff(expected, actual));
                for (float e : expected) scale = Math.max(scale, Math.abs(e));
            }
            System.out.printf("parity lora step: max |grad java - torch| = %.3g (largest gradient %.3g)%n", worst, scale);
            assertTrue(scale > 1e-3, "gradients are not trivially zero");
            assertTrue(worst < 1e-5 + 1e-4 * scale, "gradient difference " + worst);
        }
    }

    private static float[][] matrix(NDArray a) {
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(flat, i * cols, out[i], 0, cols);
        return out;
    }

    static long[][] leftPad(List<long[]> prompts, long pad) {
        int n = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        long[][] out = new long[prompts.size()][n];
        for (int r = 0; r < prompts.size(); r++) {
            long[] p = prompts.get(r);
            java.util.Arrays.fill(out[r], pad);
            System.arraycopy(p, 0, out[r], n - p.length, p.length);
        }
        return out;
    }

    /** Labels = the ids, with pad positions (mask 0) set to TokenNll.IGNORE_INDEX. */
    static long[][] labelsIgnoringPads(long[][] ids, long[][] mask) {
        long[][] labels = new long[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            labels[r] = ids[r].clone();
            for (int j = 0; j < ids[r].length; j++) if (mask[r][j] == 0) labels[r][j] = TokenNll.IGNORE_INDEX;
        }
        return labels;
    }

    static long[][] maskOf(List<long[]> prompts) {
        int n = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        long[][] out = new long[prompts.size()][n];
        for (int r = 0; r < prompts.size(); r++) {
            for (int j = n - prompts.get(r).length; j < n; j++) out[r][j] = 1;
        }
        return out;
    }

    private static void assertTokensEqual(List<long[]> expected, List<long[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ", prompt " + i);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }
}
