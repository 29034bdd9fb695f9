package dev.robustsweep.reports.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streaming reader of result.json: reads only the fields a report needs and skips the rest
 * (trial, method_state, environment, ...), so that 100,000 files parse in about a second.
 */
final class ResultJsonParser {
    private static final JsonFactory JSON = new JsonFactory();

    private ResultJsonParser() {
    }

    /**
     * Parses one file's bytes; throws IOException with the parser's line and column on bad JSON or missing keys.
     *
     * @param withCurve read train_loss_curve (else skipped: most curves are never drawn)
     */
    static TrialResult parse(byte[] bytes, boolean withCurve) throws IOException {
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            String trialId = null;
            String status = null;
            String task = null;
            String method = null;
            Map<String, String> grid = new TreeMap<>(); // sorted: the config key is canonical
            Map<String, Double> metrics = new java.util.HashMap<>();
            double[][][] reliability = new double[1][][];
            Map<String, Double> baseline = new java.util.HashMap<>();
            double[][] curve = null;
            Map<String, Map<String, Double>> perTask = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "trial_id" -> trialId = text(p, value);
                    case "status" -> status = text(p, value);
                    case "method" -> method = text(p, value);
                    case "task" -> task = taskName(p, value);
                    case "grid_point" -> readGrid(p, value, grid);
                    case "metrics" -> readMetrics(p, value, metrics, reliability);
                    case "per_task" -> perTask = readPerTask(p, value);
                    case "dev_baseline" -> readBaseline(p, value, baseline);
                    case "train_loss_curve" -> {
                        if (withCurve) {
                            curve = readCurve(p, value);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren(); // not used by the report
                }
            }
            if (task == null || method == null || status == null) {
                throw new IOException("missing required key " + (task == null ? "\"task\"" : method == null ? "\"method\"" : "\"status\""));
            }
            if (!status.equals("completed") && !status.equals("diverged") && !status.equals("failed")) {
                throw new IOException("\"status\" must be completed, diverged or failed, found \"" + status + "\"");
            }
            baseline.forEach(metrics::putIfAbsent); // reference values travel beside the scores (ScoreTable.BASELINE_COLUMNS)
            Map<String, Double> numbers = new java.util.HashMap<>();
            StringBuilder config = new StringBuilder();
            for (Map.Entry<String, String> e : grid.entrySet()) {
                if (e.getKey().equals("method") || e.getKey().equals("method_name") || e.getKey().equals("task")) {
                    continue; // pairs differ in method by design; the task is its own column
                }
                numbers.put(e.getKey(), number(e.getValue()));
                config.append(config.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
            }
            return new TrialResult(trialId, status, task, method, numbers, config.toString(), metrics, curve, reliability[0], perTask);
        }
    }

    /** "per_task" of a decoder trial: evaluation task -> its metrics (an empty or null entry: no scores). */
    private static Map<String, Map<String, Double>> readPerTask(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT, "an object of task -> metrics for \"per_task\"");
        Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            Map<String, Double> m = new java.util.HashMap<>();
            readMetrics(p, p.nextToken(), m, new double[1][][]);
            m.keySet().removeAll(java.util.List.of("examples", "correct", "no_answer")); // counters, not scores
            out.put(name, m);
        }
        return out;
    }

    private static double number(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN; // a categorical grid axis: kept in the config key only
        }
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            throw new IOException("expected a string for \"" + p.currentName() + "\" at " + where(p));
        }
        return p.getText();
    }

    /** "task" is a name, or a task object {name, ...} as in the trial file. */
    private static String taskName(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            return text(p, t);
        }
        String name = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (f.equals("name") && v.isScalarValue()) {
                name = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return name;
    }

    private static void readGrid(JsonParser p, JsonToken t, Map<String, String> grid) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        expect(p, t, JsonToken.START_OBJECT, "an object for \"grid_point\"");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isScalarValue()) {
                grid.put(key, p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    /** dev_baseline's majority_accuracy and prior_nll (docs/schemas.md); other keys skipped. */
    private static void readBaseline(JsonParser p, JsonToken t, Map<String, Double> baseline) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren(); // absent in older results, null for failed trials
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isNumeric() && dev.robustsweep.reports.ScoreTable.BASELINE_COLUMNS.contains(key)) {
                baseline.put(key, p.getDoubleValue());
            } else {
                p.skipChildren();
            }
        }
    }

    private static void readMetrics(JsonParser p, JsonToken t, Map<String, Double> metrics, double[][][] reliability)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return; // failed trial, or diverged before any evaluation
        }
        expect(p, t, JsonToken.START_OBJECT, "an object or null for \"metrics\"");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isNumeric()) {
                metrics.put(key, p.getDoubleValue());
            } else if (v == JsonToken.VALUE_NULL) {
                metrics.put(key, Double.NaN);
            } else if (v == JsonToken.VALUE_STRING && isNonFinite(p.getText())) {
                metrics.put(key, Double.NaN); // "NaN" / "Infinity" written by a diverged run
            } else if (key.equals("reliability") && v == JsonToken.START_OBJECT) {
                reliability[0] = readReliability(p);
            } else {
                p.skipChildren();
            }
        }
    }

    /** metrics.reliability {bins, counts, correct, confidence_sum} as {counts, correct, confidence_sum}; null if incomplete. */
    private static double[][] readReliability(JsonParser p) throws IOException {
        double[][] out = new double[3][];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            int slot = switch (key) {
                case "counts" -> 0;
                case "correct" -> 1;
                case "confidence_sum" -> 2;
                default -> -1;
            };
            if (slot < 0 || v != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            List<Double> values = new ArrayList<>();
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                values.add(e.isNumeric() ? p.getDoubleValue() : Double.NaN);
                p.skipChildren();
            }
            out[slot] = values.stream().mapToDouble(Double::doubleValue).toArray();
        }
        boolean complete = out[0] != null && out[1] != null && out[2] != null
                && out[0].length == out[1].length && out[0].length == out[2].length && out[0].length > 0;
        return complete ? out : null;
    }

    private static boolean isNonFinite(String s) {
        return s.equalsIgnoreCase("nan") || s.toLowerCase().contains("inf");
    }

    private static double[][] readCurve(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY, "an array of [step, loss] for \"train_loss_curve\"");
        List<double[]> points = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            double[] point = new double[] {Double.NaN, Double.NaN};
            int i = 0;
            JsonToken v;
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                if (i < 2 && v.isNumeric()) {
                    point[i] = p.getDoubleValue();
                }
                i++;
                p.skipChildren();
            }
            points.add(point);
        }
        double[][] curve = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            curve[0][i] = points.get(i)[0];
            curve[1][i] = points.get(i)[1];
        }
        return curve;
    }

    private static void expect(JsonParser p, JsonToken found, JsonToken wanted, String what) throws IOException {
        if (found != wanted) {
            throw new IOException("expected " + what + " at " + where(p) + ", found " + found);
        }
    }

    private static String where(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr();
    }
}
