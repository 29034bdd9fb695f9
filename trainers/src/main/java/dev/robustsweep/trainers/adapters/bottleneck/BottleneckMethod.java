package dev.robustsweep.trainers.adapters.bottleneck;

import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.adapters.bottleneck.BottleneckAdapter.Placement;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.trial.AdapterSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The paper's "Adapter" baseline (Table 8): LLM-Adapters' bottleneck adapter (BottleneckModel) on the
 * target linears of an encoder or a decoder; everything else frozen except PEFT's modules_to_save.
 * Series placement follows their per-module mapping for LLaMA (gate_proj, up_proj: before the linear;
 * down_proj: after it); any other module (and every encoder module, which LLM-Adapters does not map)
 * gets the adapter after the linear, as Houlsby et al. place it. Parallel: beside every target linear.
 */
public final class BottleneckMethod implements AdaptationMethod {
    /** Modules LLM-Adapters adapts before the linear ("mh_adapter"); the encoder's intermediate is their analogue. */
    static final List<String> INPUT_SIDE = List.of("gate_proj", "up_proj", "intermediate");

    private final AdapterSettings settings;
    private final NDManager manager;
    private final long seed;
    private final List<BottleneckAdapter> adapters = new ArrayList<>();
    private final Map<String, String> placements = new LinkedHashMap<>();

    public BottleneckMethod(AdapterSettings settings, NDManager manager, long seed) {
        this.settings = settings;
        this.manager = manager;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "adapter";
    }

    /** The adapted modules: the settings' list, else LLM-Adapters' defaults for the model family (see {@link AdapterSettings}). */
    public static List<String> targets(AdapterSettings settings, AdaptableModel model) {
        if (settings.targetModules != null) return settings.targetModules;
        boolean decoder = model.moduleNames().contains("down_proj");
        if (settings.useParallelAdapter) return decoder ? List.of("q_proj", "k_proj", "v_proj") : List.of("query", "key", "value");
        return decoder ? List.of("gate_proj", "up_proj", "down_proj") : List.of("attention_output", "output");
    }

    /** Series placement of one module by its name (the last segment of the linear's name). */
    static Placement placement(boolean parallel, String moduleName) {
        if (parallel) return Placement.PARALLEL;
        return INPUT_SIDE.contains(moduleName) ? Placement.INPUT : Placement.OUTPUT;
    }

    @Override
    public void apply(AdaptableModel model) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x41646170L);
        List<String> targets = targets(settings, model);
        List<Linear> linears = TargetLinears.of(model, targets);
        List<String> names = dev.robustsweep.trainers.trial.TargetModules.select(model.moduleNames(), targets, "");
        // targetLinears returns layer by layer, module order within a layer: names cycle in that order
        for (int i = 0; i < linears.size(); i++) {
            Linear linear = linears.get(i);
            Placement where = placement(settings.useParallelAdapter, names.get(i % names.size()));
            BottleneckAdapter adapter = BottleneckAdapter.create(linear, where, settings.bottleneckSize, settings.nonLinearity,
                    settings.adapterDropout, settings.scaling, settings.initWeights, manager, rng);
            linear.setAdapter(adapter);
            adapter.parameters().forEach(p -> p.setTrainable(true));
            adapters.add(adapter);
            placements.put(linear.name(), where.name().toLowerCase());
        }
        TargetLinears.trainHead(model);
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("placements", placements);
        return m;
    }

    public List<BottleneckAdapter> adapters() {
        return adapters;
    }
}
