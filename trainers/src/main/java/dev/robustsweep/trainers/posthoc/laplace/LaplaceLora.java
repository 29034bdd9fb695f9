package dev.robustsweep.trainers.posthoc.laplace;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.EncoderLayer;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.posthoc.Predictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Laplace-LoRA (Yang et al. 2024; method-spec.md section 9) on a trained LoRA model: a KFAC Laplace
 * over the LoRA matrices A and B of every adapted linear ({@code laplace_lora}) or of the last encoder
 * layer only ({@code llla}), the classification head kept at its trained value; prior precision by
 * the marginal likelihood; linearised predictive with the probit or the MC approximation.
 *
 * <p>Fit: for every training batch and every class column c of L (L L^T = diag(p) - p p^T, detached),
 * backpropagate sum_n f_n^T L_n[:, c] to the probes of {@link ProbedLoraAdapter}: per example the
 * gradients at each matrix's output summed over tokens feed G; the inputs averaged over the
 * example's real tokens feed A (KFAC-reduce). Predict: per class c, backpropagate sum_n f_nc to get
 * per-example Jacobians J_c = sum_t g_t a_t^T of every matrix, rotate them into the factors'
 * eigenbases and form V = J^T (H + delta I)^{-1} J, all as batched tensor products.
 */
public final class LaplaceLora {
    private final SequenceClassifier model;
    private final List<Linear> linears = new ArrayList<>();
    private final List<ProbedLoraAdapter> probes = new ArrayList<>();
    private final List<KroneckerBlock> blocks = new ArrayList<>();
    private final KronLaplace laplace;
    private double fitSeconds;
    private boolean fixedPrior;

    /** @param lastLayerOnly LLLA: only the last encoder layer's adapters */
    public LaplaceLora(SequenceClassifier model, boolean lastLayerOnly) {
        this.model = model;
        List<EncoderLayer> layers = model.encoder().layers();
        List<EncoderLayer> chosen = lastLayerOnly ? List.of(layers.get(layers.size() - 1)) : layers;
        for (EncoderLayer layer : chosen) {
            for (Linear l : layer.targetLinears().values()) {
                if (l.adapter() instanceof LoraAdapter lora && l.adapter().getClass() == LoraAdapter.class) {
                    linears.add(l);
                    probes.add(new ProbedLoraAdapter(lora));
                    int r = (int) lora.a().array().getShape().get(0);
                    blocks.add(new KroneckerBlock(l.name() + ".lora_A", r, (int) l.inFeatures()));
                    blocks.add(new KroneckerBlock(l.name() + ".lora_B", (int) l.outFeatures(), r));
                }
            }
        }
        if (linears.isEmpty()) throw new IllegalStateException("Laplace-LoRA needs a model with LoRA adapters");
        this.laplace = new KronLaplace(blocks);
    }

    public KronLaplace laplace() {
        return laplace;
    }

    /** Fits the KFAC factors on the training examples and chooses the prior precision by marginal likelihood. */
    public void fit(List<TokenizedExample> train, Batcher batcher, NDManager manager, int batchSize, int numLabels,
                    boolean bf16, Double fixedPriorPrecision) {
        long t0 = System.nanoTime();
        ForwardContext ctx = new ForwardContext(false, bf16);
        double logLik = 0;
        List<Parameter> frozen = freezeAll();
        install();
        try {
            for (int start = 0; start < train.size(); start += batchSize) {
                List<TokenizedExample> batch = train.subList(start, Math.min(train.size(), start + batchSize));
                int n = batch.size();
                try (NDScope ignored = new NDScope()) {
                    EncoderInput input = batcher.input(batch, manager);
                    NDArray mask = input.attentionMask().toType(DataType.FLOAT32, false).expandDims(2); // [n, T, 1]
                    NDArray tokens = mask.sum(new int[] {1}); // [n, 1]
                    for (int c = 0; c < numLabels; c++) {
                        NDArray logits;
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            logits = model.forward(input, ctx);
                            NDArray p = logits.softmax(1).stopGradient();
                            // column c of L: sqrt(p_c) (e_c - p)
                            NDArray pc = p.get(":, " + c).expandDims(1);
                            NDArray lc = p.neg().add(oneHot(manager, n, numLabels, c)).mul(pc.sqrt());
                            gc.backward(logits.mul(lc).sum());
                        }
                        if (c == 0) {
                            float[] lp = logits.logSoftmax(1).toFloatArray();
                            for (int i = 0; i < n; i++) logLik += lp[i * numLabels + batch.get(i).label()];
                        }
                        for (int k = 0; k < probes.size(); k++) {
                            ProbedLoraAdapter pr = probes.get(k);
                            KroneckerBlock blockA = blocks.get(2 * k);
                            KroneckerBlock blockB = blocks.get(2 * k + 1);
                            blockA.addOutputGradients(pr.leafA.getGradient().sum(new int[] {1}).toFloatArray(), n);
                            blockB.addOutputGradients(pr.leafB.getGradient().sum(new int[] {1}).toFloatArray(), n);
                            if (c == 0) { // inputs once per example: the mean over its real tokens
                                blockA.addInputs(pr.inputA.mul(mask).sum(new int[] {1}).div(tokens).toFloatArray(), n);
                                blockB.addInputs(pr.inputB.mul(mask).sum(new int[] {1}).div(tokens).toFloatArray(), n);
                            }
                        }
                    }
                }
            }
        } finally {
            uninstall();
            restore(frozen);
        }
        double thetaSq = 0;
        for (ProbedLoraAdapter pr : probes) {
            for (Parameter p : pr.lora.parameters()) {
                for (float v : p.array().toFloatArray()) thetaSq += (double) v * v;
            }
        }
        laplace.fit(logLik, thetaSq);
        fixedPrior = fixedPriorPrecision != null;
        if (fixedPrior) laplace.setPriorPrecision(fixedPriorPrecision);
        else laplace.optimizePriorPrecision();
        if (laplace.priorPrecisionAtBound() != null) {
            System.err.printf("robustsweep train: warning: Laplace prior precision %.3g is on the %s end of its marginal-likelihood"
                    + " search range [e^-%.0f, e^%.0f]: the maximum is there or beyond it (result.json: posthoc.prior_precision_at_bound)%n",
                    laplace.priorPrecision(), laplace.priorPrecisionAtBound(), KronLaplace.LOG_DELTA_LIMIT, KronLaplace.LOG_DELTA_LIMIT);
        }
        fitSeconds = (System.nanoTime() - t0) / 1e9;
    }

    /** The linearised predictive on {@code examples}: "probit", or "mc" with {@code samples} draws per example. */
    public Predictions predict(List<TokenizedExample> examples, Batcher batcher, NDManager manager, int batchSize,
                               int numLabels, boolean bf16, String approximation, int samples, long seed) {
        ForwardContext ctx = new ForwardContext(false, bf16);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x4C61706CL);
        float[] logProbs = new float[examples.size() * numLabels];
        int[] gold = new int[examples.size()];
        List<Parameter> frozen = freezeAll();
        install();
        try (NDScope factors = new NDScope()) {
            factors.suppressNotUsedWarning();
            List<NDArray[]> bases = eigenbases(manager);
            for (int start = 0; start < examples.size(); start += batchSize) {
                List<TokenizedExample> batch = examples.subList(start, Math.min(examples.size(), start + batchSize));
                int n = batch.size();
                try (NDScope ignored = new NDScope()) {
                    EncoderInput input = batcher.input(batch, manager);
                    NDArray mask = input.attentionMask().toType(DataType.FLOAT32, false).expandDims(2);
                    float[] f = null;
                    NDArray[][] rotated = new NDArray[numLabels][blocks.size()];
                    for (int c = 0; c < numLabels; c++) {
                        NDArray logits;
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            logits = model.forward(input, ctx);
                            gc.backward(logits.get(":, " + c).sum());
                        }
                        if (c == 0) f = logits.toFloatArray();
                        for (int k = 0; k < probes.size(); k++) {
                            ProbedLoraAdapter pr = probes.get(k);
                            rotated[c][2 * k] = rotate(pr.leafA.getGradient(), pr.inputA.mul(mask), bases.get(2 * k));
                            rotated[c][2 * k + 1] = rotate(pr.leafB.getGradient(), pr.inputB.mul(mask), bases.get(2 * k + 1));
                        }
                    }
                    // V[n][c][e] = sum over blocks of <R_c, R_e / (lambda_G lambda_A + delta)>
                    double[][][] v = new double[n][numLabels][numLabels];
                    for (int c = 0; c < numLabels; c++) {
                        for (int e = c; e < numLabels; e++) {
                            NDArray acc = null;
                            for (int b = 0; b < blocks.size(); b++) {
                                NDArray term = rotated[c][b].mul(rotated[e][b]).mul(bases.get(b)[2]).sum(new int[] {1, 2});
                                acc = acc == null ? term : acc.add(term);
                            }
                            float[] vals = acc.toFloatArray();
                            for (int i = 0; i < n; i++) {
                                v[i][c][e] = vals[i];
                                v[i][e][c] = vals[i];
                            }
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        double[] mean = new double[numLabels];
                        for (int c = 0; c < numLabels; c++) mean[c] = f[i * numLabels + c];
                        double[] p = "mc".equals(approximation) ? KronLaplace.monteCarlo(mean, v[i], samples, rng)
                                : KronLaplace.probit(mean, v[i]);
                        for (int c = 0; c < numLabels; c++) logProbs[(start + i) * numLabels + c] = (float) Math.log(p[c]);
                        gold[start + i] = batch.get(i).label();
                    }
                }
            }
        } finally {
            uninstall();
            restore(frozen);
        }
        return new Predictions(logProbs, gold, numLabels);
    }

    /** Per block: {Q_G^T, Q_A, 1 / (lambda_G lambda_A^T + delta)} as float arrays. */
    private List<NDArray[]> eigenbases(NDManager manager) {
        List<NDArray[]> out = new ArrayList<>();
        double delta = laplace.priorPrecision();
        for (KroneckerBlock b : blocks) {
            float[] qgT = new float[b.dOut * b.dOut];
            for (int i = 0; i < b.dOut; i++) for (int j = 0; j < b.dOut; j++) qgT[i * b.dOut + j] = (float) b.qG[j][i];
            float[] qa = new float[b.dIn * b.dIn];
            for (int i = 0; i < b.dIn; i++) for (int j = 0; j < b.dIn; j++) qa[i * b.dIn + j] = (float) b.qA[i][j];
            float[] inv = new float[b.dOut * b.dIn];
            for (int o = 0; o < b.dOut; o++) for (int i = 0; i < b.dIn; i++) inv[o * b.dIn + i] = (float) (1.0 / (b.eigG[o] * b.eigA[i] + delta));
            out.add(new NDArray[] {
                manager.create(qgT, new ai.djl.ndarray.types.Shape(b.dOut, b.dOut)),
                manager.create(qa, new ai.djl.ndarray.types.Shape(b.dIn, b.dIn)),
                manager.create(inv, new ai.djl.ndarray.types.Shape(b.dOut, b.dIn)).expandDims(0)
            });
        }
        return out;
    }

    /** Q_G^T J Q_A for every example, J = sum_t g_t a_t^T: [n, d_out, d_in]. */
    private static NDArray rotate(NDArray g, NDArray a, NDArray[] basis) {
        NDArray j = g.transpose(0, 2, 1).matMul(a); // [n, d_out, T] x [n, T, d_in]
        return basis[0].matMul(j).matMul(basis[1]);
    }

    private static NDArray oneHot(NDManager manager, int n, int k, int c) {
        float[] v = new float[n * k];
        for (int i = 0; i < n; i++) v[i * k + c] = 1;
        return manager.create(v, new ai.djl.ndarray.types.Shape(n, k));
    }

    private void install() {
        for (int k = 0; k < linears.size(); k++) linears.get(k).setAdapter(probes.get(k));
    }

    private void uninstall() {
        for (int k = 0; k < linears.size(); k++) linears.get(k).setAdapter(probes.get(k).lora);
    }

    /** Gradients only reach the probes while fitting and predicting; returns what was trainable. */
    private List<Parameter> freezeAll() {
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : model.allParameters()) {
            if (p.trainable()) {
                trainable.add(p);
                p.setTrainable(false);
            }
        }
        return trainable;
    }

    private static void restore(List<Parameter> trainable) {
        for (Parameter p : trainable) p.setTrainable(true);
    }

    /** What the result records: prior precision, marginal likelihood, weights under the posterior, time. */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prior_precision", laplace.priorPrecision());
        m.put("prior_precision_source", fixedPrior ? "fixed" : "marginal_likelihood");
        if (!fixedPrior) {
            m.put("prior_precision_search_range", List.of(Math.exp(-KronLaplace.LOG_DELTA_LIMIT), Math.exp(KronLaplace.LOG_DELTA_LIMIT)));
            // "lower"/"upper": the marginal likelihood's maximum is on (or beyond) that end of the range
            m.put("prior_precision_at_bound", laplace.priorPrecisionAtBound() == null ? "none" : laplace.priorPrecisionAtBound());
        }
        m.put("log_marginal_likelihood", laplace.logMarginalLikelihood(laplace.priorPrecision()));
        m.put("posterior_parameters", laplace.parameters());
        m.put("kron_blocks", blocks.size());
        m.put("fit_s", fitSeconds);
        return m;
    }

}
