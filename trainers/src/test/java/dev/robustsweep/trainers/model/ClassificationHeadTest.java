package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.Tensor;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hugging Face heads (method-spec.md section 7), checked against their formulas evaluated here in
 * doubles from the encoder's last hidden state and the head's weights.
 */
class ClassificationHeadTest {
    static final int H = TinyModelFolder.HIDDEN;

    @TempDir Path tmp;

    private static Engine engine() {
        Engine engine = EngineSetup.start(0);
        EngineSetup.seed(engine, 1);
        return engine;
    }

    @Test
    void bertLoadsThePretrainedPoolerAndComputesClassifierOfTanhPooler() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(tmp.resolve("bert"), "bert", 3, true));
        try (NDManager manager = engine().newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optNumLabels(3).optSeed(9).build();
            BertHead head = (BertHead) model.head();
            // the pooler is the folder's bert.pooler.dense.*, bit for bit
            assertArrayEquals(floats(folder.weights().get("pooler.dense.weight")), head.pooler().weight().array().toFloatArray());
            assertArrayEquals(floats(folder.weights().get("pooler.dense.bias")), head.pooler().bias().array().toFloatArray());
            assertEquals("pretrained", head.describe().get("pooler"));
            var in = TinyTraining.batch(manager, 4);
            float[] hidden = model.encoder().forward(in, ForwardContext.EVAL).toFloatArray();
            float[] logits = model.forward(in, ForwardContext.EVAL).toFloatArray();
            float[] wp = head.pooler().weight().array().toFloatArray();
            float[] bp = head.pooler().bias().array().toFloatArray();
            float[] wc = head.classifier().weight().array().toFloatArray();
            float[] bc = head.classifier().bias().array().toFloatArray();
            int seq = TinyTraining.LENGTH;
            for (int b = 0; b < TinyTraining.BATCH; b++) {
                double[] cls = new double[H];
                for (int j = 0; j < H; j++) cls[j] = hidden[(b * seq) * H + j];
                double[] pooled = tanh(affine(wp, bp, cls, H));
                double[] expected = affine(wc, bc, pooled, 3);
                for (int k = 0; k < 3; k++) assertEquals(expected[k], logits[b * 3 + k], 1e-5, "logit " + b + "," + k);
            }
        }
    }

    @Test
    void bertWithoutPoolerInitialisesOneAndTheClassifierLikeHuggingFace() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(tmp.resolve("nopool"), "bert", 3, false));
        try (NDManager manager = engine().newBaseManager()) {
            BertHead head = (BertHead) new ClassifierBuilder(folder, manager).optSeed(9).build().head();
            assertEquals("newly initialised", head.describe().get("pooler"));
            // HF _init_weights: weight ~ N(0, 0.02), bias 0; 1024 pooler weights: sample sd within 10%
            assertEquals(0.02, sd(head.pooler().weight().array().toFloatArray()), 0.002);
            assertArrayEquals(new float[H], head.pooler().bias().array().toFloatArray());
            assertArrayEquals(new float[2], head.classifier().bias().array().toFloatArray());
        }
    }

    @Test
    void robertaComputesOutProjOfTanhDenseOfTheFirstToken() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(tmp.resolve("roberta"), "roberta", 3));
        try (NDManager manager = engine().newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optSeed(9).build();
            RobertaHead head = (RobertaHead) model.head();
            assertEquals(0.02, sd(head.dense().weight().array().toFloatArray()), 0.002);
            assertArrayEquals(new float[H], head.dense().bias().array().toFloatArray());
            // RoBERTa: one token type, positions from padding_idx + 1 = 2
            var bert = TinyTraining.batch(manager, 4);
            var in = new EncoderInput(bert.inputIds(), bert.tokenTypeIds().zerosLike(),
                    bert.positionIds().add(manager.create(2L)), bert.attentionMask());
            float[] hidden = model.encoder().forward(in, ForwardContext.EVAL).toFloatArray();
            float[] logits = model.forward(in, ForwardContext.EVAL).toFloatArray();
            float[] wd = head.dense().weight().array().toFloatArray();
            float[] bd = head.dense().bias().array().toFloatArray();
            float[] wo = head.outProj().weight().array().toFloatArray();
            float[] bo = head.outProj().bias().array().toFloatArray();
            int seq = TinyTraining.LENGTH;
            for (int b = 0; b < TinyTraining.BATCH; b++) {
                double[] first = new double[H];
                for (int j = 0; j < H; j++) first[j] = hidden[(b * seq) * H + j];
                double[] expected = affine(wo, bo, tanh(affine(wd, bd, first, H)), 2);
                for (int k = 0; k < 2; k++) assertEquals(expected[k], logits[b * 2 + k], 1e-5, "logit " + b + "," + k);
            }
        }
    }

    @Test
    void meanPoolingExtensionFeedsTheMaskedMeanToTheClassifier() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(tmp.resolve("bert"), "bert", 3, true));
        try (NDManager manager = engine().newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optPooling("mean").optSeed(9).build();
            BertHead head = (BertHead) model.head();
            assertNull(head.pooler(), "mean pooling builds no pooler");
            var in = TinyTraining.batch(manager, 4);
            float[] hidden = model.encoder().forward(in, ForwardContext.EVAL).toFloatArray();
            float[] logits = model.forward(in, ForwardContext.EVAL).toFloatArray();
            float[] wc = head.classifier().weight().array().toFloatArray();
            float[] bc = head.classifier().bias().array().toFloatArray();
            int seq = TinyTraining.LENGTH;
            for (int b = 0; b < TinyTraining.BATCH; b++) {
                double[] mean = new double[H];
                for (int t = 0; t < seq; t++) for (int j = 0; j < H; j++) mean[j] += hidden[(b * seq + t) * H + j] / seq;
                double[] expected = affine(wc, bc, mean, 2);
                for (int k = 0; k < 2; k++) assertEquals(expected[k], logits[b * 2 + k], 1e-5, "logit " + b + "," + k);
            }
        }
    }

    /** PEFT SEQ_CLS: the classifier trains under adapters, BERT's pooler only under full fine-tuning. */
    @Test
    void adaptersTrainTheClassifierAndFreezeThePooler() throws Exception {
        ModelFolder bert = ModelFolder.load(TinyModelFolder.write(tmp.resolve("bert"), "bert", 3, true));
        ModelFolder roberta = ModelFolder.load(TinyModelFolder.write(tmp.resolve("roberta"), "roberta", 3));
        try (NDManager manager = engine().newBaseManager()) {
            for (String method : new String[] {"lora", "dora", "adalora", "monteclora", "full_ft"}) {
                TrialConfig t = TinyTraining.trial(method);
                SequenceClassifier b = new ClassifierBuilder(bert, manager).build();
                AdaptationMethod m = Methods.create(t, manager, 10);
                m.apply(b);
                BertHead head = (BertHead) b.head();
                for (Parameter p : head.classifierParameters()) assertTrue(p.trainable(), method + ": " + p.name());
                boolean full = "full_ft".equals(method);
                assertEquals(full, head.pooler().weight().trainable(), method + ": pooler weight");
                assertEquals(full, head.pooler().bias().trainable(), method + ": pooler bias");

                SequenceClassifier r = new ClassifierBuilder(roberta, manager).build();
                Methods.create(t, manager, 10).apply(r);
                RobertaHead rh = (RobertaHead) r.head();
                for (Parameter p : rh.classifierParameters()) assertTrue(p.trainable(), method + ": " + p.name());
                assertEquals(4, rh.classifierParameters().size());
                assertFalse(r.encoder().layers().isEmpty());
            }
        }
    }

    private static float[] floats(Tensor t) {
        float[] out = new float[(int) t.size()];
        t.data().duplicate().rewind().get(out);
        return out;
    }

    /** W x + b for W [out, in] row-major. */
    private static double[] affine(float[] w, float[] b, double[] x, int out) {
        int in = x.length;
        double[] y = new double[out];
        for (int i = 0; i < out; i++) {
            double s = b[i];
            for (int j = 0; j < in; j++) s += (double) w[i * in + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    private static double[] tanh(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
        return y;
    }

    private static double sd(float[] x) {
        double m = 0;
        for (float v : x) m += v;
        m /= x.length;
        double s = 0;
        for (float v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }
}
