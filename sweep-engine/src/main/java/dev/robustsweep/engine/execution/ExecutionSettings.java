package dev.robustsweep.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.engine.grid.GridError;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.Suggestions;
import dev.robustsweep.engine.grid.TrialSchema;
import dev.robustsweep.engine.slurm.InvalidSlurmSettingsException;
import dev.robustsweep.engine.slurm.SlurmSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How a sweep runs (the grid's {@code execution} block; flags of run/resume override it).
 *
 * @param backend          "local" (worker processes on this machine) or "slurm"
 * @param devices          empty = CPU; else GPU ids, each worker pinned to one by CUDA_VISIBLE_DEVICES
 * @param workers          CPU worker processes [max(1, cores / 2)]
 * @param trialsPerDevice  GPU: trials sharing one GPU [1]
 * @param threadsPerWorker intra-op threads per worker; 0 = cores / workers on CPU, engine default on GPU [0]
 * @param maxRetries       extra attempts for a crashed, killed or timed-out trial [2]
 * @param timeout          per-attempt wall-clock limit [12h]
 * @param javaOpts         extra JVM options for worker processes (e.g. -Xmx8g) [none]
 * @param slurm            the slurm backend's own settings (opaque here) [null]
 */
public record ExecutionSettings(String backend, List<String> devices, int workers, int trialsPerDevice, int threadsPerWorker,
                                int maxRetries, Duration timeout, List<String> javaOpts, JsonNode slurm) {

    public static final List<String> KEYS = List.of("backend", "devices", "workers", "trials_per_device", "threads_per_worker",
            "max_retries", "timeout", "java_opts", "slurm");
    public static final List<String> BACKENDS = List.of("local", "slurm");

    public static ExecutionSettings defaults() {
        return new ExecutionSettings("local", List.of(), Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1, 0, 2,
                Duration.ofHours(12), List.of(), null);
    }

    public boolean gpu() {
        return !devices.isEmpty();
    }

    /** Worker slots the local backend runs. */
    public int slots() {
        return gpu() ? devices.size() * trialsPerDevice : workers;
    }

    /** Threads each worker gets (resolving 0; on Slurm, the task's cpus_per_task). */
    public int effectiveThreads() {
        if (threadsPerWorker > 0) return threadsPerWorker;
        if (slurmBackend()) return slurmOrDefaults().cpusPerTask();
        if (gpu()) return 0;
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
    }

    /** The trial's {@code device}: gpu when GPU ids are given, or on Slurm when tasks get GPUs. */
    public String trialDevice() {
        if (slurmBackend()) return slurmOrDefaults().gpus() > 0 ? "gpu" : "cpu";
        return gpu() ? "gpu" : "cpu";
    }

    private boolean slurmBackend() {
        return "slurm".equals(backend);
    }

    /** The validated execution.slurm block (its defaults when absent). */
    public SlurmSettings slurmSettings() {
        return SlurmSettings.fromJson(slurm, "execution.slurm");
    }

    /** For derived values while a grid is still being checked: an invalid block is reported by {@link #fromGrid}, not here. */
    private SlurmSettings slurmOrDefaults() {
        try {
            return slurmSettings();
        } catch (InvalidSlurmSettingsException e) {
            return SlurmSettings.defaults();
        }
    }

    public ExecutionSettings withBackend(String b) {
        return new ExecutionSettings(b, devices, workers, trialsPerDevice, threadsPerWorker, maxRetries, timeout, javaOpts, slurm);
    }

    public ExecutionSettings withWorkers(int w) {
        return new ExecutionSettings(backend, devices, w, trialsPerDevice, threadsPerWorker, maxRetries, timeout, javaOpts, slurm);
    }

    public ExecutionSettings withDevices(List<String> d) {
        return new ExecutionSettings(backend, d, workers, trialsPerDevice, threadsPerWorker, maxRetries, timeout, javaOpts, slurm);
    }

    public ExecutionSettings withThreads(int t) {
        return new ExecutionSettings(backend, devices, workers, trialsPerDevice, t, maxRetries, timeout, javaOpts, slurm);
    }

    public ExecutionSettings withMaxRetries(int r) {
        return new ExecutionSettings(backend, devices, workers, trialsPerDevice, threadsPerWorker, r, timeout, javaOpts, slurm);
    }

    public ExecutionSettings withTimeout(Duration t) {
        return new ExecutionSettings(backend, devices, workers, trialsPerDevice, threadsPerWorker, maxRetries, t, javaOpts, slurm);
    }

    /** As stored in the run folder's sweep.json (and read back by resume). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("backend", backend);
        if (devices.isEmpty()) o.put("devices", "cpu");
        else devices.forEach(o.putArray("devices")::add);
        o.put("workers", workers);
        o.put("trials_per_device", trialsPerDevice);
        o.put("threads_per_worker", threadsPerWorker);
        o.put("max_retries", maxRetries);
        o.put("timeout", timeout.toMillis() / 1000.0);
        javaOpts.forEach(o.putArray("java_opts")::add);
        if (slurm != null) o.set("slurm", slurm);
        return o;
    }

    /** Parses a devices value: "cpu", a GPU id, "0,1", or a list of ids; null when malformed. */
    public static List<String> parseDevices(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            String s = v.asText().strip();
            if (s.equalsIgnoreCase("cpu")) return out;
            for (String part : s.split(",")) {
                if (!part.strip().matches("\\d+")) return null;
                out.add(part.strip());
            }
        } else if (v.isIntegralNumber() && v.asInt() >= 0) {
            out.add(v.asText());
        } else if (v.isArray() && !v.isEmpty()) {
            for (JsonNode e : v) {
                if (!(e.isIntegralNumber() && e.asInt() >= 0) && !(e.isTextual() && e.asText().matches("\\d+"))) return null;
                out.add(e.asText());
            }
        } else {
            return null;
        }
        if (out.stream().distinct().count() != out.size()) return null;
        return out;
    }

    /** Reads the grid's execution block, adding an error per bad key. */
    public static ExecutionSettings fromGrid(GridFile grid, JsonNode node, String path, List<GridError> errors) {
        ExecutionSettings d = defaults();
        if (node == null || node.isNull()) return d;
        if (!node.isObject()) {
            errors.add(grid.error(path, "expected a mapping (backend, devices, workers, ...), found " + TrialSchema.found(node)));
            return d;
        }
        String backend = d.backend;
        List<String> devices = d.devices;
        int workers = d.workers, perDevice = d.trialsPerDevice, threads = d.threadsPerWorker, retries = d.maxRetries;
        Duration timeout = d.timeout;
        List<String> javaOpts = d.javaOpts;
        JsonNode slurm = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            String p = GridFile.child(path, key);
            JsonNode v = f.getValue();
            switch (key) {
                case "backend" -> {
                    if (v.isTextual() && BACKENDS.contains(v.asText())) backend = v.asText();
                    else errors.add(grid.error(p, "expected one of " + BACKENDS + ", found " + TrialSchema.found(v)));
                }
                case "devices" -> {
                    List<String> parsed = parseDevices(v);
                    if (parsed == null) errors.add(grid.error(p, "expected cpu or distinct GPU ids (0, [0, 1] or \"0,1\"), found " + TrialSchema.found(v)));
                    else devices = parsed;
                }
                case "workers" -> workers = positive(grid, p, v, 1, errors, workers);
                case "trials_per_device" -> perDevice = positive(grid, p, v, 1, errors, perDevice);
                case "threads_per_worker" -> threads = positive(grid, p, v, 0, errors, threads);
                case "max_retries" -> retries = positive(grid, p, v, 0, errors, retries);
                case "timeout" -> {
                    Duration t = v.isNumber() ? Duration.ofMillis(Math.round(v.asDouble() * 1000)) : v.isTextual() ? parse(v.asText()) : null;
                    if (t == null || t.isNegative() || t.isZero()) errors.add(grid.error(p, "expected a positive duration (seconds, or e.g. 90s, 30m, 2h), found " + TrialSchema.found(v)));
                    else timeout = t;
                }
                case "java_opts" -> {
                    List<String> opts = new ArrayList<>();
                    if (v.isTextual()) opts.addAll(List.of(v.asText().trim().split("\\s+")));
                    else if (v.isArray()) v.forEach(e -> opts.add(e.asText()));
                    else errors.add(grid.error(p, "expected a list of JVM options, found " + TrialSchema.found(v)));
                    javaOpts = opts;
                }
                case "slurm" -> {
                    if (!v.isObject()) {
                        errors.add(grid.error(p, "expected a mapping of Slurm settings, found " + TrialSchema.found(v)));
                        continue;
                    }
                    slurm = v;
                    try {
                        SlurmSettings.fromJson(v, p);
                    } catch (InvalidSlurmSettingsException e) {
                        // each problem reads "execution.slurm.key: what is wrong"
                        for (String problem : e.problems()) {
                            int colon = problem.indexOf(": ");
                            errors.add(colon > 0 ? grid.keyError(problem.substring(0, colon), problem.substring(colon + 2)) : grid.error(p, problem));
                        }
                    }
                }
                default -> errors.add(grid.keyError(p, "unknown key in execution, expected one of " + KEYS + Suggestions.hint(key, KEYS)));
            }
        }
        return new ExecutionSettings(backend, devices, workers, perDevice, threads, retries, timeout, javaOpts, slurm);
    }

    /**
     * Reads the execution settings stored in a run folder's sweep.json ({@link #toJson}). A damaged
     * value is an IllegalArgumentException naming its key: a sweep set up for GPUs must never resume
     * on the CPU defaults because its devices could not be read.
     */
    public static ExecutionSettings fromStored(JsonNode o) {
        ExecutionSettings d = defaults();
        if (o == null || !o.isObject()) throw new IllegalArgumentException("execution: missing (expected the settings the sweep was started with)");
        if (o.has("backend") && !o.get("backend").isTextual()) throw new IllegalArgumentException("execution.backend: expected a name, found " + o.get("backend"));
        for (String k : List.of("workers", "trials_per_device", "threads_per_worker", "max_retries")) {
            if (o.has(k) && !(o.get(k).isIntegralNumber() && o.get(k).asInt() >= 0)) throw new IllegalArgumentException("execution." + k + ": expected an integer >= 0, found " + o.get(k));
        }
        if (o.has("timeout") && !(o.get("timeout").isNumber() && o.get("timeout").asDouble() > 0)) {
            throw new IllegalArgumentException("execution.timeout: expected seconds > 0, found " + o.get("timeout"));
        }
        List<String> devices = o.has("devices") ? parseDevices(o.get("devices")) : d.devices;
        if (devices == null) throw new IllegalArgumentException("execution.devices: expected cpu or GPU ids, found " + o.get("devices"));
        List<String> opts = new ArrayList<>();
        o.path("java_opts").forEach(e -> opts.add(e.asText()));
        return new ExecutionSettings(o.path("backend").asText(d.backend), devices == null ? d.devices : devices, o.path("workers").asInt(d.workers),
                o.path("trials_per_device").asInt(d.trialsPerDevice), o.path("threads_per_worker").asInt(d.threadsPerWorker),
                o.path("max_retries").asInt(d.maxRetries), o.has("timeout") ? Duration.ofMillis(Math.round(o.get("timeout").asDouble() * 1000)) : d.timeout,
                opts, o.has("slurm") ? o.get("slurm") : null);
    }

    private static Duration parse(String s) {
        return DurationText.parse(s);
    }

    private static int positive(GridFile grid, String path, JsonNode v, int min, List<GridError> errors, int fallback) {
        if (v.isIntegralNumber() && v.asLong() >= min && v.asLong() <= 100_000) return v.asInt();
        errors.add(grid.error(path, "expected an integer >= " + min + ", found " + TrialSchema.found(v)));
        return fallback;
    }
}
