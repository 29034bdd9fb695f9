package dev.robustsweep.engine.grid;

import java.util.List;
import java.util.Map;

/**
 * A method as the grid names it: {@code lora}, or a named variant such as
 * {@code monteclora-sparse: {method: monteclora, mixture: sparse}}. {@code params} are the variant's
 * own settings (canonical names); {@code axes} are axes that apply to this variant only.
 */
public record MethodVariant(String name, String method, String path, Map<String, SourcedValue> params, List<Axis> axes) {}
