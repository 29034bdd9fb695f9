package dev.robustsweep.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's run folder, {@code runs/<sweep>/}:
 * <pre>
 *   grid.yaml          the grid file as given (grid.json for a JSON grid)
 *   sweep.json         name, creation time, source grid path, execution settings, trial count
 *   trials.jsonl       the expanded trial list, one trial file's JSON per line, in expansion order
 *   run.lock           pid of the engine working on the folder (see {@link RunLock})
 *   trials/&lt;id&gt;/      trial.json, result.json (written by rename: only truth for "done"),
 *                      worker.log (worker output, appended across attempts), attempts.jsonl
 *   report/            the robustness report written when the sweep ends
 * </pre>
 * Everything the engine writes whole is written atomically (temp file, fsync, rename).
 */
public final class RunStore {
    public static final String SWEEP = "sweep.json";
    public static final String TRIALS = "trials.jsonl";
    public static final String TRIAL_FILE = "trial.json";
    public static final String RESULT = "result.json";
    public static final String LOG = "worker.log";
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private final Path dir;
    private final ObjectNode sweep;
    private final List<TrialConfig> trials;

    private RunStore(Path dir, ObjectNode sweep, List<TrialConfig> trials) {
        this.dir = dir;
        this.sweep = sweep;
        this.trials = trials;
    }

    /** Whether {@code dir} looks like a run folder. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(SWEEP)) && Files.isRegularFile(dir.resolve(TRIALS));
    }

    /** Creates the folder's static files (grid as given, sweep.json, trials.jsonl). Trial folders are made when a trial first runs. */
    public static RunStore create(Path dir, String name, Path gridFile, byte[] gridBytes, List<TrialConfig> trials, ExecutionSettings execution) throws IOException {
        Files.createDirectories(dir);
        String ext = gridFile.getFileName().toString().toLowerCase().endsWith(".json") ? "json" : "yaml";
        writeAtomically(dir.resolve("grid." + ext), gridBytes);
        writeTrialList(dir.resolve(TRIALS), trials);
        ObjectNode s = COMPACT.createObjectNode();
        s.put("schema", "robustsweep.sweep/1");
        s.put("name", name);
        s.put("created", Instant.now().toString());
        s.put("grid", gridFile.toAbsolutePath().normalize().toString());
        s.put("trials", trials.size());
        s.set("execution", execution.toJson());
        TrialFiles.writeAtomically(dir.resolve(SWEEP), s);
        return new RunStore(dir, s, List.copyOf(trials));
    }

    /** Opens an existing run folder; throws {@link NotARunFolderException} with a clear message otherwise. */
    public static RunStore open(Path dir) {
        if (Files.isDirectory(dir) && !exists(dir) && Files.exists(dir.resolve(RunLock.FILE)) && !Files.exists(dir.resolve(SWEEP))) {
            // 'run' was stopped between taking the lock and writing the folder's files: nothing ran
            throw new NotARunFolderException(dir + ": an interrupted 'robustsweep run' left this folder unfinished (no " + SWEEP + " or " + TRIALS
                    + "; no trial ran); create it again with 'robustsweep run GRID --runs-dir " + (dir.toAbsolutePath().getParent() == null ? "." : dir.toAbsolutePath().getParent())
                    + "' and the grid file of sweep '" + dir.getFileName() + "'");
        }
        if (!exists(dir)) {
            throw new NotARunFolderException(dir + ": not a run folder (expected " + SWEEP + " and " + TRIALS + "; run folders are made by 'robustsweep run GRID')");
        }
        try {
            JsonNode sweepNode;
            try {
                sweepNode = COMPACT.readTree(dir.resolve(SWEEP).toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new NotARunFolderException(dir.resolve(SWEEP) + ": damaged (not valid JSON: " + e.getOriginalMessage() + ")");
            }
            if (!(sweepNode instanceof ObjectNode s) || !s.path("name").isTextual()) {
                throw new NotARunFolderException(dir.resolve(SWEEP) + ": damaged (expected an object with the sweep's name, trials and execution settings)");
            }
            List<TrialConfig> trials = new ArrayList<>();
            int line = 0;
            for (String text : Files.readAllLines(dir.resolve(TRIALS), StandardCharsets.UTF_8)) {
                line++;
                if (text.isBlank()) continue;
                try {
                    TrialConfig t = TrialFiles.JSON.readValue(text, TrialConfig.class);
                    if (t.trialId == null || t.trialId.isBlank() || t.task == null || t.task.name == null || t.method == null) {
                        throw new NotARunFolderException(dir.resolve(TRIALS) + ":" + line + ": not a trial (damaged run folder?): trial_id, task and method are required");
                    }
                    trials.add(t);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new NotARunFolderException(dir.resolve(TRIALS) + ":" + line + ": not a trial (damaged run folder?): " + dev.robustsweep.trainers.trial.JsonProblem.describe(e));
                }
            }
            int expected = s.path("trials").asInt(-1);
            if (expected != trials.size()) {
                throw new NotARunFolderException(dir.resolve(TRIALS) + ": holds " + trials.size() + " trials, but " + SWEEP + " says " + expected
                        + " (damaged run folder: move it aside and start again with 'robustsweep run GRID'; the results under its trials/ stay readable by 'robustsweep report')");
            }
            return new RunStore(dir, s, List.copyOf(trials));
        } catch (IOException e) {
            throw new NotARunFolderException(dir + ": cannot read run folder: " + e.getMessage());
        }
    }

    /** One trial per line; 10,000 trials are a few megabytes, written in one pass and renamed into place. */
    static void writeTrialList(Path target, List<TrialConfig> trials) throws IOException {
        Path tmp = TrialFiles.newTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString());
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                var writer = COMPACT.writer();
                for (TrialConfig t : trials) {
                    w.write(writer.writeValueAsString(t));
                    w.write('\n');
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = TrialFiles.newTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString());
        try {
            Files.write(tmp, bytes);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        return sweep.path("name").asText(dir.getFileName().toString());
    }

    public JsonNode sweepInfo() {
        return sweep;
    }

    public List<TrialConfig> trials() {
        return trials;
    }

    public Path trialDir(String trialId) {
        return dir.resolve("trials").resolve(trialId);
    }

    /** Writes trials/&lt;id&gt;/trial.json for an attempt, and removes temp files an earlier, killed attempt may have left. */
    public Path prepareTrial(TrialConfig trial) throws IOException {
        Path d = trialDir(trial.trialId);
        Files.createDirectories(d);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, ".*.tmp")) {
            for (Path p : s) Files.deleteIfExists(p);
        }
        Path f = d.resolve(TRIAL_FILE);
        TrialFiles.writeAtomically(f, trial);
        return f;
    }

    /** A trial folder's result.json as read: the parsed result when valid, else the problem that makes it no result. */
    public record ResultFile(Path file, JsonNode result, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    /** The trial's result.json checked against the result schema (docs/schemas.md) and its folder; null when there is none. */
    public ResultFile readResultFile(String trialId) {
        Path f = trialDir(trialId).resolve(RESULT);
        JsonNode n;
        try {
            byte[] bytes = Files.readAllBytes(f);
            if (bytes.length == 0) return new ResultFile(f, null, "empty file");
            n = COMPACT.readTree(bytes);
        } catch (NoSuchFileException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new ResultFile(f, null, "not valid JSON (truncated or damaged): " + e.getOriginalMessage());
        } catch (IOException e) {
            return new ResultFile(f, null, "cannot read: " + e.getMessage());
        }
        String problem = ResultCheck.problem(n, trialId);
        return problem == null ? new ResultFile(f, n, null) : new ResultFile(f, null, problem);
    }

    /** The parsed result.json when there is a valid one, else null. */
    public JsonNode readResult(String trialId) {
        ResultFile r = readResultFile(trialId);
        return r == null ? null : r.result();
    }

    /** Moves a failed attempt's result.json out of the way (its reason is kept in attempts.jsonl): only a done trial has one. */
    public void discardResult(String trialId) throws IOException {
        Files.deleteIfExists(trialDir(trialId).resolve(RESULT));
    }

    /** Moves an invalid result.json aside as result.invalid-N.json (the first free N >= 1), keeping it as evidence; returns where. */
    public Path setAsideInvalidResult(String trialId) throws IOException {
        Path d = trialDir(trialId);
        for (int n = 1; ; n++) {
            Path target = d.resolve("result.invalid-" + n + ".json");
            if (Files.exists(target)) continue;
            try {
                Files.move(d.resolve(RESULT), target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken meanwhile: next N
            }
        }
    }

    /** The trial's state from its folder; {@code maxRetries} decides when failures are final. */
    public TrialState state(TrialConfig trial, int maxRetries, boolean engineAlive) {
        String id = trial.trialId;
        ResultFile file = readResultFile(id);
        JsonNode result = file == null ? null : file.result();
        String invalid = file == null || file.valid() ? null : file.file() + ": " + file.problem();
        List<JsonNode> events = AttemptLog.read(trialDir(id));
        int attempts = 0, failures = 0;
        String lastFailure = null;
        boolean open = false;
        for (JsonNode e : events) {
            switch (e.path("event").asText()) {
                case "start" -> {
                    attempts++;
                    open = true;
                }
                case "end" -> {
                    open = false;
                    if ("failed".equals(e.path("outcome").asText())) {
                        failures++;
                        lastFailure = e.path("reason").asText(null);
                    }
                }
                case "reset" -> failures = 0;
                default -> { }
            }
        }
        String status = result == null ? null : result.path("status").asText();
        if ("completed".equals(status)) return new TrialState(id, TrialStatus.COMPLETED, attempts, failures, lastFailure, result, null);
        if ("diverged".equals(status)) return new TrialState(id, TrialStatus.DIVERGED, attempts, failures, lastFailure, result, null);
        if (failures > maxRetries) return new TrialState(id, TrialStatus.FAILED, attempts, failures, lastFailure, null, invalid);
        if (open && engineAlive) return new TrialState(id, TrialStatus.RUNNING, attempts, failures, lastFailure, null, invalid);
        return new TrialState(id, TrialStatus.PENDING, attempts, failures, lastFailure, null, invalid);
    }

    /** States of every trial, in trial-list order. */
    public Map<String, TrialState> states(int maxRetries, boolean engineAlive) {
        Map<String, TrialState> out = new LinkedHashMap<>();
        for (TrialConfig t : trials) out.put(t.trialId, state(t, maxRetries, engineAlive));
        return out;
    }

    /** max_retries the folder was started with. */
    public int maxRetries() {
        return sweep.path("execution").path("max_retries").asInt(2);
    }

    /** A folder that is not (or not a readable) run folder. */
    public static final class NotARunFolderException extends RuntimeException {
        public NotARunFolderException(String message) {
            super(message);
        }
    }
}
