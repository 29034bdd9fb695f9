package dev.robustsweep.trainers.adapters.adalora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.trial.AdaLoraSettings;
import dev.robustsweep.trainers.trial.LoraSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * AdaLoRA (Zhang et al. 2023) on the target linears with PEFT's AdaLoraModel semantics: P, lambda, Q
 * built with init_r; orthogonal regulariser in the loss; importance EMAs and budget masking after
 * every optimizer step ({@link RankAllocator}, {@link BudgetSchedule}); the rank pattern fixed at
 * T - tfinal and re-applied after every later step.
 *
 * <p>Steps are 1-based as the trainer passes them. Unset tinit / tfinal are PEFT AdaLoraConfig's 0 / 0, or
 * 10% / 20% of the trial's total steps with {@code phase_defaults: fractions} ({@link BudgetSchedule#resolveTinit}).
 */
public final class AdaLoraMethod implements AdaptationMethod {
    private final AdaLoraSettings settings;
    private final LoraSettings lora;
    private final NDManager manager;
    private final long seed;
    private final int totalSteps;
    private final List<AdaLoraAdapter> adapters = new ArrayList<>();
    private final List<String> layerNames = new ArrayList<>();
    private BudgetSchedule schedule;
    private RankAllocator allocator;
    private boolean[][] rankPattern;
    private int lastBudget;

    public AdaLoraMethod(AdaLoraSettings settings, LoraSettings lora, NDManager manager, long seed, int totalSteps) {
        this.settings = settings;
        this.lora = lora;
        this.manager = manager;
        this.seed = seed;
        this.totalSteps = totalSteps;
    }

    @Override
    public String name() {
        return "adalora";
    }

    @Override
    public void apply(AdaptableModel model) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x4164614CL);
        for (Linear linear : TargetLinears.of(model, lora.targetModules)) {
            AdaLoraAdapter adapter = AdaLoraAdapter.create(linear, settings.initR, lora.loraAlpha, lora.loraDropout, manager, rng);
            linear.setAdapter(adapter);
            for (Parameter p : adapter.parameters()) p.setTrainable(true);
            adapters.add(adapter);
            layerNames.add(linear.name());
        }
        TargetLinears.trainHead(model);
        int layers = adapters.size();
        schedule = new BudgetSchedule(settings.initR * layers, settings.targetR * layers,
                BudgetSchedule.resolveTinit(settings.tinit, settings.phaseDefaults, totalSteps),
                BudgetSchedule.resolveTfinal(settings.tfinal, settings.phaseDefaults, totalSteps), totalSteps, settings.deltaT);
        lastBudget = schedule.initBudget();
        allocator = new RankAllocator(adapters, settings.beta1, settings.beta2);
    }

    /**
     * orth_reg_weight * mean over every A and B of ||A A^T - I||_F and ||B^T B - I||_F (AdaLoRA eq. 4;
     * PEFT AdaLoraModel.forward). Layers of equal shape are stacked so the cost is a few batched ops.
     */
    @Override
    public Map<String, NDArray> extraLosses() {
        if (settings.orthRegWeight == 0 || adapters.isEmpty()) return Map.of();
        Map<Shape, NDList> groups = new LinkedHashMap<>();
        for (AdaLoraAdapter adapter : adapters) {
            NDArray a = adapter.a().array();
            // B^T B has the same form as A A^T with A = B^T
            NDArray bt = adapter.b().array().transpose();
            groups.computeIfAbsent(a.getShape(), s -> new NDList()).add(a);
            groups.computeIfAbsent(bt.getShape(), s -> new NDList()).add(bt);
        }
        NDArray sum = null;
        for (Map.Entry<Shape, NDList> group : groups.entrySet()) {
            NDArray m = NDArrays.stack(group.getValue());
            int r = (int) group.getKey().get(0);
            NDArray cov = m.batchMatMul(m.transpose(0, 2, 1)).sub(manager.eye(r));
            NDArray norms = cov.square().sum(new int[] {1, 2}).sqrt().sum();
            sum = sum == null ? norms : sum.add(norms);
        }
        return Map.of("orthogonal_regularizer", sum.mul(Scalars.of(sum, settings.orthRegWeight / (2 * adapters.size()))));
    }

    /** PEFT AdaLoraModel.update_and_allocate(step), called after the optimizer step and before zero_grad. */
    @Override
    public void afterOptimizerStep(int step, int total) {
        int finalStep = schedule.finalStep();
        if (step < finalStep) {
            allocator.updateImportance();
            lastBudget = schedule.budget(step);
            if (schedule.masks(step)) rankPattern = allocator.maskToBudget(lastBudget);
        } else if (step == finalStep) {
            lastBudget = schedule.budget(step);
            rankPattern = allocator.maskToBudget(lastBudget);
            allocator.reset();
        } else {
            lastBudget = schedule.targetBudget();
            if (rankPattern != null) allocator.applyPattern(rankPattern);
        }
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("init_r", settings.initR);
        out.put("target_r", settings.targetR);
        out.put("tinit", schedule.tinit());
        out.put("tfinal", schedule.tfinal());
        out.put("phase_defaults", settings.phaseDefaults);
        out.put("total_steps", schedule.totalSteps());
        out.put("budget", lastBudget);
        Map<String, Object> ranks = new LinkedHashMap<>();
        Map<String, Object> pattern = new LinkedHashMap<>();
        for (int i = 0; i < adapters.size(); i++) {
            List<Boolean> kept = new ArrayList<>();
            int rank = 0;
            for (int j = 0; j < adapters.get(i).rank(); j++) {
                boolean k = rankPattern == null || rankPattern[i][j];
                kept.add(k);
                if (k) rank++;
            }
            ranks.put(layerNames.get(i), rank);
            pattern.put(layerNames.get(i), kept);
        }
        out.put("ranks", ranks);
        out.put("rank_pattern", pattern);
        return out;
    }

    public BudgetSchedule schedule() {
        return schedule;
    }

    public List<AdaLoraAdapter> adapters() {
        return adapters;
    }

    /** The importance scores and masking (read-only use: scores after a step). */
    public RankAllocator allocator() {
        return allocator;
    }
}
