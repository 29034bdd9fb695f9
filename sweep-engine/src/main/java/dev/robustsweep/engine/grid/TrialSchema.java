package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.robustsweep.trainers.trial.AdaLoraSettings;
import dev.robustsweep.trainers.trial.AdapterSettings;
import dev.robustsweep.trainers.trial.DecoderSettings;
import dev.robustsweep.trainers.trial.FaultInjection;
import dev.robustsweep.trainers.trial.LoraSettings;
import dev.robustsweep.trainers.trial.MonteCLoraSettings;
import dev.robustsweep.trainers.trial.PosthocSettings;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trial parameters a grid may set or sweep, read from {@link TrialConfig}'s own JSON binding
 * (so the grid accepts exactly what a trial file accepts, with the same names).
 *
 * <p>A parameter is named by its trial-file key ({@code learning_rate}), a dotted path into a
 * settings block ({@code lora.r}, {@code monteclora.sample_scaler}), or, as a shorthand, a block's
 * key alone when no other block has it ({@code sample_scaler}, {@code init_r}, {@code mixture}).
 */
public final class TrialSchema {
    /** JSON kinds a parameter value can have. */
    public enum Kind { INTEGER, NUMBER, BOOLEAN, STRING, STRING_LIST, BLOCK, MAP }

    /** Trial keys the engine fills in itself (or takes from tasks / methods / execution). */
    public static final Set<String> ENGINE_KEYS = Set.of("trial_id", "sweep", "task", "method", "method_name", "grid_point", "device", "threads");
    /** Blocks whose keys may be used alone as a shorthand. */
    private static final Set<String> SHORTHAND_BLOCKS = Set.of("lora", "adalora", "monteclora", "decoder", "posthoc");

    private static final TrialSchema INSTANCE = new TrialSchema();

    private final Map<String, Param> top = new LinkedHashMap<>();
    private final Map<String, Map<String, Param>> blocks = new LinkedHashMap<>();
    private final Map<String, String> shorthand = new LinkedHashMap<>();

    /** One settable parameter: canonical dotted name, JSON kind, whether null is accepted. */
    public record Param(String name, Kind kind, boolean nullable) {}

    private TrialSchema() {
        Map<String, Class<?>> blockTypes = Map.of("lora", LoraSettings.class, "adalora", AdaLoraSettings.class,
                "monteclora", MonteCLoraSettings.class, "adapter", AdapterSettings.class, "decoder", DecoderSettings.class,
                "fault_injection", FaultInjection.class, "posthoc", PosthocSettings.class);
        for (BeanPropertyDefinition prop : properties(TrialConfig.class)) {
            String name = prop.getName();
            if (ENGINE_KEYS.contains(name)) continue;
            Class<?> raw = prop.getPrimaryType().getRawClass();
            if (blockTypes.containsKey(name)) {
                top.put(name, new Param(name, Kind.BLOCK, true));
                Map<String, Param> sub = new LinkedHashMap<>();
                for (BeanPropertyDefinition p : properties(blockTypes.get(name))) {
                    sub.put(p.getName(), new Param(name + "." + p.getName(), kind(p.getPrimaryType()), !p.getPrimaryType().isPrimitive()));
                }
                blocks.put(name, sub);
            } else {
                top.put(name, new Param(name, kind(prop.getPrimaryType()), !raw.isPrimitive()));
            }
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String block : SHORTHAND_BLOCKS) for (String k : blocks.get(block).keySet()) seen.merge(k, 1, Integer::sum);
        for (String block : SHORTHAND_BLOCKS) {
            for (String k : blocks.get(block).keySet()) {
                if (seen.get(k) == 1 && !top.containsKey(k)) shorthand.put(k, block + "." + k);
            }
        }
    }

    public static TrialSchema get() {
        return INSTANCE;
    }

    private static List<BeanPropertyDefinition> properties(Class<?> type) {
        JavaType t = TrialFiles.JSON.constructType(type);
        BeanDescription d = TrialFiles.JSON.getDeserializationConfig().introspect(t);
        return d.findProperties();
    }

    private static Kind kind(JavaType t) {
        Class<?> c = t.getRawClass();
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) return Kind.INTEGER;
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) return Kind.NUMBER;
        if (c == boolean.class || c == Boolean.class) return Kind.BOOLEAN;
        if (c == String.class) return Kind.STRING;
        if (List.class.isAssignableFrom(c)) return Kind.STRING_LIST;
        if (Map.class.isAssignableFrom(c)) return Kind.MAP;
        return Kind.BLOCK;
    }

    /** The parameter a grid key names (canonical dotted form), or null when it names none. */
    public Param resolve(String key) {
        int dot = key.indexOf('.');
        if (dot > 0) {
            Map<String, Param> block = blocks.get(key.substring(0, dot));
            return block == null ? null : block.get(key.substring(dot + 1));
        }
        Param p = top.get(key);
        if (p != null) return p;
        String full = shorthand.get(key);
        return full == null ? null : resolve(full);
    }

    /** The sub-parameter {@code key} of a block (lora, adalora, monteclora, fault_injection), or null. */
    public Param inBlock(String block, String key) {
        Map<String, Param> b = blocks.get(block);
        return b == null ? null : b.get(key);
    }

    /** Every name a grid may use, for "did you mean" hints. */
    public List<String> allNames() {
        List<String> out = new ArrayList<>(top.keySet());
        for (Map.Entry<String, Map<String, Param>> b : blocks.entrySet()) for (String k : b.getValue().keySet()) out.add(b.getKey() + "." + k);
        out.addAll(shorthand.keySet());
        return Collections.unmodifiableList(out);
    }

    public List<String> blockKeys(String block) {
        return List.copyOf(blocks.getOrDefault(block, Map.of()).keySet());
    }

    /** Null when {@code value} fits {@code param}, else "expected ..., found ...". */
    public static String typeProblem(Param param, JsonNode value) {
        if (value.isNull()) return param.nullable() ? null : "expected " + describe(param.kind()) + ", found null";
        boolean ok = switch (param.kind()) {
            case INTEGER -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()) && !Double.isInfinite(value.asDouble()));
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case STRING_LIST -> value.isArray() && allText(value);
            case BLOCK, MAP -> value.isObject();
        };
        return ok ? null : "expected " + describe(param.kind()) + ", found " + found(value);
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) if (!n.isTextual()) return false;
        return true;
    }

    static String describe(Kind k) {
        return switch (k) {
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case STRING_LIST -> "a list of strings";
            case BLOCK, MAP -> "a mapping (key: value)";
        };
    }

    /** How a value reads in a message: 'text', 12, a list, a mapping. */
    public static String found(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        if (v.isTextual()) return "'" + v.asText() + "'";
        if (v.isArray()) return "a list " + abbreviate(v.toString());
        if (v.isObject()) return "a mapping " + abbreviate(v.toString());
        return v.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
