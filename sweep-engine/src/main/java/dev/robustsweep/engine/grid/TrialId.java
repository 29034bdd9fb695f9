package dev.robustsweep.engine.grid;

import dev.robustsweep.trainers.trial.TrialConfig;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Content-derived trial ids: a readable name (task, method variant, grid-axis values) plus the
 * first 8 hex digits of the SHA-256 of the trial's canonical configuration, e.g.
 * {@code mrpc-lora-lr3e-04-bs32-s42-1a2b3c4d}. The same grid cell always gets the same id, so
 * a re-run or a resume finds its trials; changing any setting gives a new id.
 *
 * <p>Canonical configuration: the trial file's JSON with every default filled in, keys sorted,
 * grid-point numbers typed as their parameter (batch_size 8, never 8.0), without the fields that say where or how it runs rather than what it
 * is: trial_id, sweep, device, threads, data_dir.
 */
public final class TrialId {
    /** Not part of a trial's identity. */
    public static final List<String> EXCLUDED = List.of("trial_id", "sweep", "device", "threads", "data_dir");
    private static final int MAX_NAME = 90;
    private static final Map<String, String> SHORT = Map.ofEntries(
            Map.entry("learning_rate", "lr"), Map.entry("batch_size", "bs"), Map.entry("seed", "s"), Map.entry("epochs", "ep"),
            Map.entry("max_seq_length", "len"), Map.entry("weight_decay", "wd"), Map.entry("warmup_ratio", "wu"),
            Map.entry("lora.r", "r"), Map.entry("lora.lora_alpha", "alpha"), Map.entry("lora.lora_dropout", "ldrop"),
            Map.entry("monteclora.sample_scaler", "eps"), Map.entry("monteclora.kl_weight", "eta"),
            Map.entry("monteclora.mixtures", "n"), Map.entry("max_train_samples", "ntrain"), Map.entry("lr_scheduler_type", "sched"));

    private TrialId() {}

    /** The id of a trial (its trial_id field is ignored). */
    public static String of(TrialConfig trial) {
        return readableName(trial) + "-" + hash(trial);
    }

    /** First 8 hex digits of sha256(canonical JSON). */
    public static String hash(TrialConfig trial) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(trial);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical JSON text of a trial (what {@link #hash} digests). */
    public static String canonicalJson(TrialConfig trial) {
        try {
            return CANONICAL.writeValueAsString(trial);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Leaves out the fields that are not part of a trial's identity. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"trial_id", "sweep", "device", "threads", "data_dir"})
    private abstract static class IdentityView {}

    /** Sorted keys (properties and map entries), no whitespace, every default written. */
    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
            .addMixIn(TrialConfig.class, IdentityView.class)
            .build();

    /** task-method-axisvalues, lower-case letters, digits, '.', '+', '-' only. */
    public static String readableName(TrialConfig trial) {
        StringBuilder sb = new StringBuilder();
        sb.append(clean(trial.task.name)).append('-').append(clean(trial.displayMethod()));
        for (Map.Entry<String, Object> e : trial.gridPoint.entrySet()) {
            String part = e.getKey() + "=" + e.getValue() + "|" + (e.getValue() == null ? "" : e.getValue().getClass().getName());
            sb.append('-').append(PARTS.computeIfAbsent(part, k -> {
                String key = SHORT.getOrDefault(e.getKey(), e.getKey().substring(e.getKey().lastIndexOf('.') + 1).replace("_", ""));
                return clean(key) + value(e.getKey(), e.getValue());
            }));
        }
        return sb.length() > MAX_NAME ? sb.substring(0, MAX_NAME) : sb.toString();
    }

    private static String value(String key, Object v) {
        if (v instanceof Double d) return number(d);
        if (v instanceof Float f) return number(f.doubleValue());
        if (v instanceof List<?> l) return clean(String.join("+", l.stream().map(String::valueOf).toList()));
        if (v == null) return "none";
        String s = String.valueOf(v);
        if (key.equals("model")) s = s.substring(s.lastIndexOf('/') + 1);
        return clean(s);
    }

    /** Shortest of "%.Ne" that reads back exactly (3e-04, 2.5e-04); plain for ordinary numbers (0.1, 16). */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e6) return Long.toString((long) d);
        if (Math.abs(d) >= 1e-2 && Math.abs(d) < 1e6) {
            String plain = java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            if (plain.length() <= 8) return plain;
        }
        for (int p = 0; p < 16; p++) {
            String s = String.format(java.util.Locale.ROOT, "%." + p + "e", d);
            if (Double.parseDouble(s) == d) return s;
        }
        return Double.toString(d);
    }

    private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[^a-z0-9.+-]+");
    /** Name parts repeat across a grid (a few axis values): format each once. */
    private static final Map<String, String> PARTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String clean(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) return UNSAFE.matcher(lower).replaceAll("_");
        }
        return lower;
    }
}
