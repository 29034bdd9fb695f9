package dev.robustsweep.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The ablated settings of a run (paper Figures 6-9, issue 12 item 6): a method variant (the grid's
 * method_name, e.g. monteclora-n8) that differs from its base variant (method_name = method, e.g.
 * monteclora) in exactly one setting of its result.json "trial" object (nested keys dotted:
 * monteclora.mixtures, lora.r, lora.target_modules) is a point of that setting's axis. One result.json
 * per variant is read (settings are constant within a variant; the grid axes are left out).
 *
 * @param axes setting key -> base method -> setting value (as written in the trial, JSON text) -> variant
 */
public record Ablations(Map<String, Map<String, Map<String, String>>> axes) {
    /**
     * Keys that differ between variants without being a setting: the engine sets these per trial
     * (docs/grids.md), e.g. the trial's own grid_point object and the device slot it ran on.
     */
    private static final Set<String> NOT_SETTINGS = Set.of("trial_id", "method_name", "sweep", "task", "out_dir", "grid_point", "device", "threads");

    public boolean isEmpty() {
        return axes.isEmpty();
    }

    /** Reads the run folder; empty for a CSV or when no variant differs from its base in exactly one setting. */
    public static Ablations of(Path input) {
        if (!Files.isDirectory(input)) {
            return new Ablations(Map.of());
        }
        Map<String, Map<String, String>> settingsByVariant = new TreeMap<>();
        Map<String, String> baseOf = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(input)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("result.json"))::iterator) {
                try {
                    JsonNode root = json.readTree(f.toFile());
                    JsonNode trial = root.get("trial");
                    String variant = root.path("method").asText(null);
                    if (trial == null || !trial.isObject() || variant == null || settingsByVariant.containsKey(variant)) {
                        continue;
                    }
                    Map<String, String> flat = new TreeMap<>();
                    flatten("", trial, flat);
                    root.path("grid_point").fieldNames().forEachRemaining(flat::remove);
                    flat.keySet().removeIf(k -> NOT_SETTINGS.contains(k.contains(".") ? k.substring(0, k.indexOf('.')) : k));
                    settingsByVariant.put(variant, flat);
                    baseOf.put(variant, trial.path("method").asText(variant));
                } catch (IOException | RuntimeException e) {
                    // unreadable results are reported by the main reader; they just give no setting here
                }
            }
        } catch (IOException e) {
            return new Ablations(Map.of());
        }
        Map<String, Map<String, Map<String, String>>> axes = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> v : settingsByVariant.entrySet()) {
            String base = baseOf.get(v.getKey());
            Map<String, String> ref = settingsByVariant.get(base);
            if (v.getKey().equals(base) || ref == null) {
                continue;
            }
            List<String> diff = new ArrayList<>();
            Set<String> keys = new java.util.TreeSet<>(ref.keySet());
            keys.addAll(v.getValue().keySet());
            for (String k : keys) {
                if (!java.util.Objects.equals(ref.get(k), v.getValue().get(k))) {
                    diff.add(k);
                }
            }
            if (diff.size() == 1) {
                String key = diff.get(0);
                Map<String, String> points = axes.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(base, k -> new LinkedHashMap<>());
                points.put(String.valueOf(ref.get(key)), base);
                points.put(String.valueOf(v.getValue().get(key)), v.getKey());
            }
        }
        return new Ablations(axes);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else {
            out.put(prefix, node.isTextual() ? node.asText() : node.toString());
        }
    }
}
