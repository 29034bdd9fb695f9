package dev.robustsweep.engine.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-task Slurm resources and job settings of a sweep (the grid's {@code execution.slurm} block).
 *
 * <p>Every value that ends up on an {@code #SBATCH} line is a validated plain token: no whitespace,
 * quotes, {@code $}, backticks, {@code ;|&<>()\} or newlines. {@code setup} lines are the one
 * exception: they are trusted shell written by the user (module loads, environment), copied
 * verbatim into the batch script, like Hydra's or submitit's {@code setup}. {@code launcher} words
 * are quoted, never interpreted.
 */
public record SlurmSettings(
        /* partition(s), comma-separated; null = the cluster's default */ String partition,
        /* per-task wall-clock limit in a Slurm time format ("30", "4:00:00", "1-12:00:00"); null = partition default */ String timeLimit,
        /* CPUs per array task [1] */ int cpusPerTask,
        /* memory per node with optional K/M/G/T suffix ("16G"); null = the cluster's DefMemPerCPU */ String mem,
        /* GPUs per task, requested as --gres=gpu:N; 0 = none [0] */ int gpus,
        /* GPU type for --gres=gpu:TYPE:N ("a100"); null = any */ String gpuType,
        /* account to charge; null = the user's default */ String account,
        /* quality of service; null = default */ String qos,
        /* at most this many tasks of one array run at once (the %N of --array) [64] */ int maxConcurrent,
        /* at most this many trials per array job (below the cluster's MaxArraySize) [1000] */ int maxArraySize,
        /* further sbatch long options, each "--name" or "--name=value" ("--constraint=a100") */ List<String> extraFlags,
        /* trusted shell lines run before the worker ("module load cuda/12.8") */ List<String> setup,
        /* words put before the worker command, each quoted ("apptainer", "exec", "--nv", "img.sif") */ List<String> launcher) {

    public static final int DEFAULT_MAX_CONCURRENT = 64;
    public static final int DEFAULT_MAX_ARRAY_SIZE = 1000;

    /** Grid keys of the block, in the order they are documented. */
    public static final List<String> KEYS = List.of("partition", "time_limit", "cpus_per_task", "mem", "gpus", "gpu_type",
            "account", "qos", "max_concurrent", "max_array_size", "extra_flags", "setup", "launcher");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern NAME_LIST = Pattern.compile("[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*");
    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d+(:\\d{1,2}){0,2}|UNLIMITED|INFINITE");
    private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");
    private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*(=[A-Za-z0-9_.,:@%+/=\\[\\]-]+)?");
    /** Options the batch script or the backend controls, or that have their own key. */
    private static final Map<String, String> RESERVED_FLAGS = Map.ofEntries(
            Map.entry("array", "set by the backend from the trial list and max_concurrent"),
            Map.entry("wrap", "the backend submits its own batch script"),
            Map.entry("output", "the backend writes task logs under the run folder"),
            Map.entry("error", "the backend writes task logs under the run folder"),
            Map.entry("input", "array tasks read no input"),
            Map.entry("chdir", "the backend runs tasks in the run folder"),
            Map.entry("parsable", "the backend adds it when it submits"),
            Map.entry("job-name", "the backend names jobs to re-attach after a restart"),
            Map.entry("partition", "use the key partition"),
            Map.entry("time", "use the key time_limit"),
            Map.entry("cpus-per-task", "use the key cpus_per_task"),
            Map.entry("mem", "use the key mem"),
            Map.entry("gres", "use the keys gpus and gpu_type"),
            Map.entry("gpus", "use the keys gpus and gpu_type"),
            Map.entry("account", "use the key account"),
            Map.entry("qos", "use the key qos"));
    private static final Set<Character> SETUP_FORBIDDEN = Set.of('\n', '\r', '\0');

    public SlurmSettings {
        extraFlags = List.copyOf(extraFlags);
        setup = List.copyOf(setup);
        launcher = List.copyOf(launcher);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: cluster-default partition and limits, 1 CPU, no GPU. */
    public static SlurmSettings defaults() {
        return builder().build();
    }

    /**
     * Reads the grid's Slurm block (already parsed to a JSON tree). Reports every unknown key, wrong type
     * and invalid value together, each prefixed with {@code keyPath} (e.g. "execution.slurm").
     */
    public static SlurmSettings fromJson(JsonNode node, String keyPath) {
        Builder b = builder().keyPrefix(keyPath);
        if (node == null || node.isNull()) return b.build();
        if (!node.isObject()) {
            throw new InvalidSlurmSettingsException(List.of(keyPath + ": expected a mapping of Slurm settings, found "
                    + node.getNodeType().toString().toLowerCase()));
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String where = keyPath + "." + key;
            switch (key) {
                case "partition" -> b.optPartition(text(v, where, problems));
                case "time_limit" -> b.optTimeLimit(text(v, where, problems));
                case "cpus_per_task" -> b.optCpusPerTask(integer(v, where, problems, 1));
                case "mem" -> b.optMem(text(v, where, problems));
                case "gpus" -> b.optGpus(integer(v, where, problems, 0));
                case "gpu_type" -> b.optGpuType(text(v, where, problems));
                case "account" -> b.optAccount(text(v, where, problems));
                case "qos" -> b.optQos(text(v, where, problems));
                case "max_concurrent" -> b.optMaxConcurrent(integer(v, where, problems, DEFAULT_MAX_CONCURRENT));
                case "max_array_size" -> b.optMaxArraySize(integer(v, where, problems, DEFAULT_MAX_ARRAY_SIZE));
                case "extra_flags" -> b.optExtraFlags(strings(v, where, problems));
                case "setup" -> b.optSetup(strings(v, where, problems));
                case "launcher" -> b.optLauncher(strings(v, where, problems));
                default -> problems.add(where + ": unknown key; expected one of " + String.join(", ", KEYS));
            }
        }
        try {
            SlurmSettings s = b.build();
            if (problems.isEmpty()) return s;
        } catch (InvalidSlurmSettingsException e) {
            problems.addAll(e.problems());
        }
        throw new InvalidSlurmSettingsException(problems);
    }

    private static String text(JsonNode v, String where, List<String> problems) {
        if (v.isNull()) return null;
        if (v.isTextual() || v.isIntegralNumber()) return v.asText();
        problems.add(where + ": expected a string, found " + describe(v));
        return null;
    }

    private static int integer(JsonNode v, String where, List<String> problems, int fallback) {
        if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
        problems.add(where + ": expected an integer, found " + describe(v));
        return fallback;
    }

    private static List<String> strings(JsonNode v, String where, List<String> problems) {
        if (v.isTextual()) return List.of(v.asText());
        List<String> out = new ArrayList<>();
        if (!v.isArray()) {
            problems.add(where + ": expected a list of strings, found " + describe(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item.isTextual()) out.add(item.asText());
            else problems.add(where + "[" + i + "]: expected a string, found " + describe(item));
        }
        return out;
    }

    private static String describe(JsonNode v) {
        return v.getNodeType().toString().toLowerCase() + " " + v;
    }

    /** Builder: every option has a default; {@link #build()} checks all values and reports all problems at once. */
    public static final class Builder {
        private String keyPrefix = "slurm";
        private String partition;
        private String timeLimit;
        private int cpusPerTask = 1;
        private String mem;
        private int gpus;
        private String gpuType;
        private String account;
        private String qos;
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private int maxArraySize = DEFAULT_MAX_ARRAY_SIZE;
        private List<String> extraFlags = List.of();
        private List<String> setup = List.of();
        private List<String> launcher = List.of();

        private Builder() {}

        /** Prefix of the keys in error messages, e.g. "execution.slurm" [slurm]. */
        public Builder keyPrefix(String keyPrefix) { this.keyPrefix = keyPrefix; return this; }
        public Builder optPartition(String v) { partition = v; return this; }
        public Builder optTimeLimit(String v) { timeLimit = v; return this; }
        public Builder optCpusPerTask(int v) { cpusPerTask = v; return this; }
        public Builder optMem(String v) { mem = v; return this; }
        public Builder optGpus(int v) { gpus = v; return this; }
        public Builder optGpuType(String v) { gpuType = v; return this; }
        public Builder optAccount(String v) { account = v; return this; }
        public Builder optQos(String v) { qos = v; return this; }
        public Builder optMaxConcurrent(int v) { maxConcurrent = v; return this; }
        public Builder optMaxArraySize(int v) { maxArraySize = v; return this; }
        public Builder optExtraFlags(List<String> v) { extraFlags = v; return this; }
        public Builder optSetup(List<String> v) { setup = v; return this; }
        public Builder optLauncher(List<String> v) { launcher = v; return this; }

        public SlurmSettings build() {
            List<String> problems = new ArrayList<>();
            token(problems, "partition", partition, NAME_LIST, "a partition name or comma-separated names (letters, digits, '_', '.', '-')");
            token(problems, "time_limit", timeLimit, TIME, "a Slurm time such as 30, 4:00:00 or 1-12:00:00");
            token(problems, "mem", mem, MEM, "a memory size such as 16000 or 16G (suffix K, M, G or T)");
            token(problems, "gpu_type", gpuType, NAME, "a GPU type such as a100 (letters, digits, '_', '.', '-')");
            token(problems, "account", account, NAME, "an account name (letters, digits, '_', '.', '-')");
            token(problems, "qos", qos, NAME, "a QOS name (letters, digits, '_', '.', '-')");
            if (cpusPerTask < 1) problems.add(key("cpus_per_task") + ": expected an integer >= 1, found " + cpusPerTask);
            if (gpus < 0) problems.add(key("gpus") + ": expected an integer >= 0, found " + gpus);
            if (gpuType != null && gpus == 0) problems.add(key("gpu_type") + ": set, but gpus is 0; expected gpus >= 1");
            if (maxConcurrent < 1) problems.add(key("max_concurrent") + ": expected an integer >= 1, found " + maxConcurrent);
            if (maxArraySize < 1) problems.add(key("max_array_size") + ": expected an integer >= 1, found " + maxArraySize);
            List<String> flags = extraFlags == null ? List.of() : extraFlags;
            for (int i = 0; i < flags.size(); i++) {
                String f = flags.get(i);
                String where = key("extra_flags") + "[" + i + "]";
                if (f == null || !FLAG.matcher(f).matches()) {
                    problems.add(where + ": expected a long sbatch option \"--name\" or \"--name=value\" (value: letters, digits and"
                            + " _.,:@%+/=[]-; no spaces, quotes or shell characters), found " + quoted(f));
                    continue;
                }
                String name = f.substring(2, f.contains("=") ? f.indexOf('=') : f.length());
                if (RESERVED_FLAGS.containsKey(name)) {
                    problems.add(where + ": --" + name + " is not allowed here (" + RESERVED_FLAGS.get(name) + "), found " + quoted(f));
                }
            }
            List<String> lines = setup == null ? List.of() : setup;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line == null || line.chars().anyMatch(c -> SETUP_FORBIDDEN.contains((char) c))) {
                    problems.add(key("setup") + "[" + i + "]: expected one shell line per entry (no newline or NUL), found " + quoted(line));
                }
            }
            List<String> words = launcher == null ? List.of() : launcher;
            for (int i = 0; i < words.size(); i++) {
                if (words.get(i) == null || words.get(i).isEmpty() || words.get(i).indexOf('\0') >= 0) {
                    problems.add(key("launcher") + "[" + i + "]: expected a non-empty word without NUL, found " + quoted(words.get(i)));
                }
            }
            if (!problems.isEmpty()) throw new InvalidSlurmSettingsException(problems);
            return new SlurmSettings(partition, timeLimit, cpusPerTask, mem, gpus, gpuType, account, qos,
                    maxConcurrent, maxArraySize, flags, lines, words);
        }

        private void token(List<String> problems, String name, String value, Pattern pattern, String expected) {
            if (value != null && !pattern.matcher(value).matches()) {
                problems.add(key(name) + ": expected " + expected + ", found " + quoted(value));
            }
        }

        private String key(String name) {
            return keyPrefix + "." + name;
        }

        private static String quoted(String s) {
            if (s == null) return "null";
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                    .replace("\0", "\\0") + "\"";
        }
    }
}
