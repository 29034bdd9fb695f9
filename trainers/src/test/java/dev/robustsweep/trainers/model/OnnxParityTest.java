package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java encoder's last hidden state equals ONNX Runtime's output of the same all-MiniLM-L6-v2 ONNX file. */
class OnnxParityTest {
    static NDManager manager;
    static ModelFolder folder;
    static Encoder encoder;
    static OrtEnvironment env;
    static OrtSession session;
    static TextEncoder text;

    @BeforeAll
    static void setUp() throws Exception {
        Engine engine = EngineSetup.start(0);
        manager = engine.newBaseManager();
        folder = ModelFolder.load(EmbeddedMiniLm.folder());
        encoder = new ClassifierBuilder(folder, manager).build().encoder();
        env = OrtEnvironment.getEnvironment();
        byte[] onnx;
        try (InputStream in = OnnxParityTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            onnx = in.readAllBytes();
        }
        session = env.createSession(onnx, new OrtSession.SessionOptions());
        text = new TextEncoder(folder.tokenizerJson(), 128);
    }

    @AfterAll
    static void tearDown() throws Exception {
        session.close();
        text.close();
        manager.close();
    }

    /** Runs both implementations on one padded batch and returns the max abs difference over real tokens. */
    private static double maxDifference(List<TokenizedExample> batch) throws Exception {
        EncoderInput in = new Batcher(folder.config()).input(batch, manager);
        NDArray ours = encoder.forward(in, ForwardContext.EVAL);
        long[][] ids = toRows(in.inputIds());
        long[][] types = toRows(in.tokenTypeIds());
        float[] maskF = in.attentionMask().toFloatArray();
        long[][] mask = new long[ids.length][ids[0].length];
        for (int i = 0; i < mask.length; i++) for (int j = 0; j < mask[0].length; j++) mask[i][j] = (long) maskF[i * mask[0].length + j];
        try (OnnxTensor tIds = OnnxTensor.createTensor(env, ids);
             OnnxTensor tMask = OnnxTensor.createTensor(env, mask);
             OnnxTensor tTypes = OnnxTensor.createTensor(env, types);
             OrtSession.Result r = session.run(Map.of("input_ids", tIds, "attention_mask", tMask, "token_type_ids", tTypes))) {
            float[][][] ref = (float[][][]) r.get(0).getValue();
            float[] o = ours.toFloatArray();
            int t = ref[0].length;
            int h = ref[0][0].length;
            assertEquals(384, h);
            double max = 0;
            for (int i = 0; i < ref.length; i++)
                for (int j = 0; j < t; j++) {
                    if (mask[i][j] == 0) continue;
                    for (int k = 0; k < h; k++) max = Math.max(max, Math.abs(ref[i][j][k] - o[(i * t + j) * h + k]));
                }
            System.out.printf("OnnxParityTest: %d sequences of up to %d tokens, max abs difference %.3g%n", ref.length, t, max);
            return max;
        }
    }

    private static long[][] toRows(NDArray a) {
        long[] flat = a.toLongArray();
        int b = (int) a.getShape().get(0);
        int t = (int) a.getShape().get(1);
        long[][] out = new long[b][t];
        for (int i = 0; i < b; i++) System.arraycopy(flat, i * t, out[i], 0, t);
        return out;
    }

    @Test
    void singleSentencesMatchOnnxRuntime() throws Exception {
        double d = maxDifference(List.of(
                text.encode("The quick brown fox jumps over the lazy dog.", null, 0),
                text.encode("Robustness across hyperparameters matters.", null, 0)));
        assertTrue(d <= 1e-4, "max abs difference " + d);
    }

    @Test
    void sentencePairsMatchOnnxRuntime() throws Exception {
        double d = maxDifference(List.of(
                text.encode("Amrozi accused his brother of deliberately distorting his evidence.",
                        "Referring to him as only \"the witness\", Amrozi accused his brother of deliberately distorting his evidence.", 1),
                text.encode("A man is playing a guitar.", "Someone plays music.", 0)));
        assertTrue(d <= 1e-4, "max abs difference " + d);
    }

    @Test
    void sequenceTruncatedAt128MatchesOnnxRuntime() throws Exception {
        String longText = "word ".repeat(300);
        TokenizedExample ex = text.encode(longText, null, 0);
        assertEquals(128, ex.ids().length);
        double d = maxDifference(List.of(ex, text.encode("short one", null, 0)));
        assertTrue(d <= 1e-4, "max abs difference " + d);
    }
}
