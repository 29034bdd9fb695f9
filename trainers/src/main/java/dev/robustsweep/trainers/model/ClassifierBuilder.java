package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a {@link SequenceClassifier} from a model folder's weights onto an engine manager. Every
 * parameter starts frozen; an {@code AdaptationMethod} decides what trains. The head is Hugging Face's
 * for the model type ({@link BertHead}, {@link RobertaHead}); BERT's pooler comes from the folder's
 * {@code pooler.dense.*} when present. New Linear layers are initialised like Hugging Face's
 * _init_weights (weights ~ N(0, initializer_range), biases 0) from the trial's seed, in module order
 * (pooler when new, then classifier / classifier.dense, classifier.out_proj).
 */
public final class ClassifierBuilder {
    private final ModelFolder folder;
    private final NDManager manager;
    private int numLabels = 2;
    private String pooling = CLS;
    private Double hiddenDropout;
    private Double attentionDropout;
    private Double classifierDropout;
    private long seed = 42;

    /** Hugging Face's head of the model type (BERT: [CLS] through the pooler; RoBERTa: first token). */
    public static final String CLS = "cls";
    /** RobustSweep extension: the masked mean of the last hidden state replaces the first token / pooler output. */
    public static final String MEAN = "mean";

    public ClassifierBuilder(ModelFolder folder, NDManager manager) {
        this.folder = folder;
        this.manager = manager;
    }

    public ClassifierBuilder optNumLabels(int numLabels) {
        this.numLabels = numLabels;
        return this;
    }

    /** "cls" (Hugging Face's head, the default; null means it too) or "mean" (extension). */
    public ClassifierBuilder optPooling(String pooling) {
        this.pooling = pooling == null ? CLS : pooling;
        return this;
    }

    /** Dropout overrides; null keeps the model config's value. */
    public ClassifierBuilder optDropout(Double hidden, Double attention, Double classifier) {
        this.hiddenDropout = hidden;
        this.attentionDropout = attention;
        this.classifierDropout = classifier;
        return this;
    }

    public ClassifierBuilder optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    public SequenceClassifier build() {
        EncoderConfig c = folder.config();
        double hidden = hiddenDropout != null ? hiddenDropout : c.hiddenDropoutProb;
        double attention = attentionDropout != null ? attentionDropout : c.attentionProbsDropoutProb;
        // HF: classifier_dropout if set, else hidden_dropout_prob
        double head = classifierDropout != null ? classifierDropout : c.classifierDropout != null ? c.classifierDropout : hidden;
        int h = c.hiddenSize;
        Embeddings embeddings = new Embeddings(
                param("embeddings.word_embeddings.weight", true, c.vocabSize, h),
                param("embeddings.position_embeddings.weight", true, c.maxPositionEmbeddings, h),
                param("embeddings.token_type_embeddings.weight", true, c.typeVocabSize, h),
                layerNorm("embeddings.LayerNorm", h, c.layerNormEps),
                hidden);
        List<EncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers; i++) {
            String p = "encoder.layer." + i + ".";
            SelfAttention attn = new SelfAttention(
                    linear(p + "attention.self.query", h, h),
                    linear(p + "attention.self.key", h, h),
                    linear(p + "attention.self.value", h, h),
                    linear(p + "attention.output.dense", h, h),
                    layerNorm(p + "attention.output.LayerNorm", h, c.layerNormEps),
                    c.numAttentionHeads, attention, hidden);
            FeedForward ff = new FeedForward(
                    linear(p + "intermediate.dense", c.intermediateSize, h),
                    linear(p + "output.dense", h, c.intermediateSize),
                    layerNorm(p + "output.LayerNorm", h, c.layerNormEps),
                    hidden);
            layers.add(new EncoderLayer(attn, ff));
        }
        Encoder encoder = new Encoder(c, embeddings, layers);
        return new SequenceClassifier(encoder, head(c, head));
    }

    private ClassificationHead head(EncoderConfig c, double dropout) {
        if (!CLS.equals(pooling) && !MEAN.equals(pooling)) {
            throw new IllegalArgumentException("pooling: expected cls or mean, got '" + pooling + "'");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int h = c.hiddenSize;
        double std = c.initializerRange;
        if (c.isRoberta()) {
            Linear dense = newLinear("classifier.dense", h, h, std, rng);
            Linear outProj = newLinear("classifier.out_proj", numLabels, h, std, rng);
            return new RobertaHead(dense, outProj, dropout, pooling);
        }
        Linear pooler = null;
        boolean pretrained = false;
        if (CLS.equals(pooling)) {
            pretrained = folder.weights().containsKey("pooler.dense.weight") || folder.weights().containsKey("pooler.dense.bias");
            pooler = pretrained ? linear("pooler.dense", h, h) : newLinear("pooler.dense", h, h, std, rng);
        }
        return new BertHead(pooler, pretrained, newLinear("classifier", numLabels, h, std, rng), dropout);
    }

    /** A new Linear(in, out): weight ~ N(0, std) [out, in], bias 0 (HF _init_weights). */
    private Linear newLinear(String name, int out, int in, double std, SplittableRandom rng) {
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) (std * gaussian(rng));
        return new Linear(name,
                new Parameter(name + ".weight", manager.create(w, new Shape(out, in)), true),
                new Parameter(name + ".bias", manager.zeros(new Shape(out)), false));
    }

    /** Standard normal by Box-Muller (java.util.Random's algorithm is not specified across versions for SplittableRandom). */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private Linear linear(String name, int out, int in) {
        return new Linear(name, param(name + ".weight", true, out, in), param(name + ".bias", false, out));
    }

    private LayerNorm layerNorm(String name, int h, double eps) {
        return new LayerNorm(param(name + ".weight", false, h), param(name + ".bias", false, h), eps);
    }

    private Parameter param(String name, boolean decay, long... shape) {
        Tensor t = folder.require(name, shape);
        FloatBuffer data = t.data().duplicate().rewind();
        return new Parameter(name, manager.create(data, new Shape(shape)), decay);
    }
}
