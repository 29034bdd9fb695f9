package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Content-derived trial ids: a readable name (task, method variant, grid-axis values) plus the
 * first 8 hex digits of the SHA-256 of the trial's canonical configuration, e.g.
 * {@code mrpc-lora-lr3e-04-bs32-s42-1a2b3c4d}. The same grid cell always gets the same id, so
 * a re-run or a resume finds its trials; changing any setting gives a new id.
 *
 * <p>Canonical configuration: the trial file's JSON with every default filled in, keys sorted,
 * numbers as JSON numbers, without the fields that say where or how it runs rather than what it
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
        ObjectNode tree = TrialFiles.JSON.valueToTree(trial);
        for (String k : EXCLUDED) tree.remove(k);
        StringBuilder sb = new StringBuilder(1024);
        canonical(tree, sb);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sorted keys, no whitespace, numbers as Jackson prints them. */
    static void canonical(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) keys.add(it.next());
            keys.sort(null);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(keys.get(i))).append(':');
                canonical(n.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) sb.append(',');
                canonical(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isNumber()) {
            // 8 and 8.0 are the same setting
            double d = n.asDouble();
            sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
        } else {
            sb.append(n);
        }
    }

    /** task-method-axisvalues, lower-case letters, digits, '.', '+', '-' only. */
    public static String readableName(TrialConfig trial) {
        StringBuilder sb = new StringBuilder();
        sb.append(clean(trial.task.name)).append('-').append(clean(trial.displayMethod()));
        for (Map.Entry<String, Object> e : trial.gridPoint.entrySet()) {
            String key = SHORT.getOrDefault(e.getKey(), e.getKey().substring(e.getKey().lastIndexOf('.') + 1).replace("_", ""));
            sb.append('-').append(clean(key)).append(value(e.getKey(), e.getValue()));
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

    private static String clean(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.+-]+", "_");
    }
}
