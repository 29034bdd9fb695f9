package dev.robustsweep.engine.grid;

import dev.robustsweep.engine.execution.ExecutionSettings;
import java.util.List;
import java.util.Map;

/**
 * A grid file's content after the structural checks: the sweep's name, tasks, method variants,
 * grid axes, the static settings every trial shares (model, data_dir, settings, limits; canonical
 * parameter names, in override order) and the execution settings.
 */
public record SweepGrid(GridFile source, String name, List<GridTask> tasks, List<MethodVariant> methods, List<Axis> axes,
                        Map<String, SourcedValue> settings, ExecutionSettings execution) {

    /** The axes a variant runs: the global ones, a variant axis replacing a global one of the same parameter, then the variant's own. */
    public List<Axis> axesFor(MethodVariant v) {
        java.util.List<Axis> out = new java.util.ArrayList<>();
        for (Axis a : axes) {
            Axis override = v.axes().stream().filter(x -> x.param().equals(a.param())).findFirst().orElse(null);
            out.add(override != null ? override : a);
        }
        for (Axis a : v.axes()) if (out.stream().noneMatch(x -> x.param().equals(a.param()))) out.add(a);
        return out;
    }

    /** Number of trials the grid expands to. */
    public long trialCount() {
        long n = 0;
        for (MethodVariant v : methods) {
            long per = 1;
            for (Axis a : axesFor(v)) per *= a.values().size();
            n += per;
        }
        return n * tasks.size();
    }
}
