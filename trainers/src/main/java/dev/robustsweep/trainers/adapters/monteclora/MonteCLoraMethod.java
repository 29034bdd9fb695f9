package dev.robustsweep.trainers.adapters.monteclora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TrainingPhase;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.trial.LoraSettings;
import dev.robustsweep.trainers.trial.MonteCLoraSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MonteCLoRA (Sengupta et al.; method-spec.md section 3) on the target linears: A, B, log V and
 * log alpha trainable, head trainable (the post-hoc schedule trains A, B and the head, then V and alpha
 * alone: {@link #phases}).
 *
 * <p>Extra losses after each training forward (section 4.4):
 * "kl" = eta (KL_N + KL_W + KL_D) averaged over the MonteCLoRA layers (eq. 19-21), and, when
 * cooperative_loss is on, "cooperative" = sum_k pi_k^2 averaged over layers (eq. 22, weight 1).
 * Each term's per-epoch mean (unweighted) and the mixture weights go to {@link #state()}.
 *
 * <p>Randomness: A and B are LoRA's (same stream, so LoRA and MonteCLoRA share A at a seed); the
 * Bartlett factors come from per-layer streams split from the trial seed; pi's noise and the Gaussian
 * samples from the engine's seeded generator.
 */
public final class MonteCLoraMethod implements AdaptationMethod {
    private static final String[] TERMS = {"kl_gaussian", "kl_wishart", "kl_dirichlet", "cooperative"};

    private final MonteCLoraSettings settings;
    private final LoraSettings lora;
    private final NDManager manager;
    private final long seed;
    private final List<MonteCLoraAdapter> adapters = new ArrayList<>();
    private final List<String> layerNames = new ArrayList<>();
    private double nu;
    /** Per-epoch running sums of the unweighted terms and of the sampled pi (averaged over layers). */
    private final List<Map<String, Object>> epochs = new ArrayList<>();
    private double[] termSums = new double[TERMS.length];
    private double[] piSums;
    private int steps;
    private int epoch;

    public MonteCLoraMethod(MonteCLoraSettings settings, LoraSettings lora, NDManager manager, long seed) {
        this.settings = settings;
        this.lora = lora;
        this.manager = manager;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "monteclora";
    }

    @Override
    public void apply(AdaptableModel model) {
        int r = lora.r;
        int n = settings.mixtures;
        nu = settings.wishartDof != null ? settings.wishartDof : r;
        SplittableRandom loraRng = new SplittableRandom(seed ^ 0x4C6F5241L);
        SplittableRandom wishartRng = new SplittableRandom(seed ^ 0x57697368L);
        SplittableRandom dirichletRng = new SplittableRandom(seed ^ 0x44697269L);
        for (Linear linear : TargetLinears.of(model, lora.targetModules)) {
            Parameter[] ab = LoraAdapter.initialise(linear, r, manager, loraRng);
            double[] alpha0 = new double[n];
            for (int k = 0; k < n; k++) {
                alpha0[k] = "random".equals(settings.dirichletInit) ? 1.0 - dirichletRng.nextDouble() : settings.dirichletPrior;
            }
            MonteCLoraAdapter adapter = MonteCLoraAdapter.create(linear, ab, alpha0,
                    LoraAdapter.scaling(lora.loraAlpha, r, lora.useRslora), lora.loraDropout, settings.sampleScaler,
                    "sparse".equals(settings.mixture), new WishartSampler(r, nu, wishartRng.split()), manager);
            linear.setAdapter(adapter);
            for (Parameter p : adapter.parameters()) p.setTrainable(true);
            adapters.add(adapter);
            layerNames.add(linear.name());
        }
        TargetLinears.trainHead(model);
        piSums = new double[n];
    }

    /**
     * Post-hoc (paper section 6 ablation; the authors' finetune.py with posthoc_app): phase 1, the first
     * ceil(epochs / 2) epochs, trains mu (A, B) and the head; phase 2 trains only V and alpha (everything
     * else frozen) with a fresh optimizer and schedule at learning_rate x posthoc_lr_multiplier.
     */
    @Override
    public List<TrainingPhase> phases(int epochs) {
        if (!"posthoc".equals(settings.schedule) || epochs < 2) return AdaptationMethod.super.phases(epochs);
        int first = meanPhaseEpochs(epochs);
        return List.of(new TrainingPhase(0, first, 1.0), new TrainingPhase(first, epochs - first, settings.posthocLrMultiplier));
    }

    private static int meanPhaseEpochs(int epochs) {
        return (epochs + 1) / 2;
    }

    /** Post-hoc: sets what trains in the epoch's phase ({@link #phases}). */
    @Override
    public void onEpochStart(int epoch, int epochs, AdaptableModel model) {
        if (epoch != this.epoch) closeEpoch();
        this.epoch = epoch;
        if (!"posthoc".equals(settings.schedule)) return;
        boolean meanPhase = epoch < meanPhaseEpochs(epochs);
        for (MonteCLoraAdapter adapter : adapters) {
            adapter.a().setTrainable(meanPhase);
            adapter.b().setTrainable(meanPhase);
            adapter.logScale().setTrainable(!meanPhase);
            adapter.logConcentration().setTrainable(!meanPhase);
        }
        for (Parameter p : model.alwaysTrainedParameters()) p.setTrainable(meanPhase);
    }

    @Override
    public Map<String, NDArray> extraLosses() {
        List<MonteCLoraAdapter> sampled = new ArrayList<>();
        for (MonteCLoraAdapter adapter : adapters) if (adapter.stepPi() != null) sampled.add(adapter);
        if (sampled.isEmpty()) return Map.of();
        int layers = sampled.size();
        int r = lora.r;
        int n = settings.mixtures;
        // CPU-side constants of KL_N from the Bartlett factors: sum_j T_ij^2 and sum_i ln T_ii^2
        float[] rowSumSq = new float[layers * r];
        float[] logDetTT = new float[layers];
        NDList v = new NDList();
        NDList logAlpha = new NDList();
        NDList pi = new NDList();
        for (int l = 0; l < layers; l++) {
            MonteCLoraAdapter adapter = sampled.get(l);
            float[] t = adapter.stepT();
            for (int i = 0; i < r; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++) s += (double) t[i * r + j] * t[i * r + j];
                rowSumSq[l * r + i] = (float) s;
                logDetTT[l] += (float) Math.log((double) t[i * r + i] * t[i * r + i]);
            }
            v.add(adapter.logScale().array());
            logAlpha.add(adapter.logConcentration().array());
            pi.add(adapter.stepPi());
            adapter.clearStep();
        }
        NDArray vs = NDArrays.stack(v);
        NDArray klN = KlDivergences.gaussian(vs, manager.create(rowSumSq, new Shape(layers, r)), manager.create(logDetTT, new Shape(layers))).mean();
        NDArray klW = KlDivergences.wishart(vs, nu).mean();
        NDArray klD = KlDivergences.dirichlet(NDArrays.stack(logAlpha), settings.dirichletPrior).mean();
        NDArray pis = NDArrays.stack(pi);
        NDArray coop = KlDivergences.cooperative(pis).mean();
        record(NDArrays.concat(new NDList(klN.reshape(1), klW.reshape(1), klD.reshape(1), coop.reshape(1),
                pis.mean(new int[] {0}))).stopGradient().toFloatArray());
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("kl", klN.add(klW).add(klD).mul(Scalars.of(klN, settings.klWeight)));
        if (settings.cooperativeLoss) out.put("cooperative", coop);
        return out;
    }

    private void record(float[] values) {
        for (int i = 0; i < TERMS.length; i++) termSums[i] += values[i];
        for (int k = 0; k < piSums.length; k++) piSums[k] += values[TERMS.length + k];
        steps++;
    }

    private void closeEpoch() {
        if (steps == 0) return;
        epochs.add(epochSummary());
        termSums = new double[TERMS.length];
        piSums = new double[piSums.length];
        steps = 0;
    }

    private Map<String, Object> epochSummary() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", epoch);
        e.put("steps", steps);
        for (int i = 0; i < TERMS.length; i++) e.put(TERMS[i], termSums[i] / steps);
        List<Double> meanPi = new ArrayList<>();
        for (double s : piSums) meanPi.add(s / steps);
        e.put("mean_sampled_pi", meanPi);
        return e;
    }

    /**
     * Per-epoch means of KL_N, KL_W, KL_D (unweighted, averaged over layers), of the cooperative loss and
     * of the sampled mixture weights; per layer the learned concentration alpha, its mean
     * alpha / sum(alpha) (the expected mixture weights) and the Wishart scale V.
     */
    @Override
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> perEpoch = new ArrayList<>(epochs);
        if (steps > 0) perEpoch.add(epochSummary());
        out.put("epochs", perEpoch);
        Map<String, Object> concentration = new LinkedHashMap<>();
        Map<String, Object> weights = new LinkedHashMap<>();
        Map<String, Object> scale = new LinkedHashMap<>();
        for (int l = 0; l < adapters.size(); l++) {
            float[] logAlpha = adapters.get(l).logConcentration().array().toFloatArray();
            float[] logV = adapters.get(l).logScale().array().toFloatArray();
            List<Double> alpha = new ArrayList<>();
            double sum = 0;
            for (float x : logAlpha) {
                alpha.add(Math.exp(x));
                sum += Math.exp(x);
            }
            List<Double> w = new ArrayList<>();
            for (double a : alpha) w.add(a / sum);
            List<Double> vs = new ArrayList<>();
            for (float x : logV) vs.add(Math.exp(x));
            concentration.put(layerNames.get(l), alpha);
            weights.put(layerNames.get(l), w);
            scale.put(layerNames.get(l), vs);
        }
        out.put("dirichlet_concentration", concentration);
        out.put("mixture_weights", weights);
        out.put("wishart_scale", scale);
        return out;
    }

    /** r + N per adapted layer (V and alpha). */
    @Override
    public long extraParameterCount() {
        return (long) adapters.size() * (lora.r + settings.mixtures);
    }

    public List<MonteCLoraAdapter> adapters() {
        return adapters;
    }

    public double degreesOfFreedom() {
        return nu;
    }
}
