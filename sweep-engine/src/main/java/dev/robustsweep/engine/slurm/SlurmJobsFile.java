package dev.robustsweep.engine.slurm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sweep's record of its Slurm array jobs, {@code RUN/slurm-jobs.json}, rewritten atomically on
 * every change. A restarted engine reads it to re-attach to jobs that are still queued or running
 * instead of submitting them again.
 *
 * <p>Crash safety: a submission is recorded (without a job id) before sbatch runs, and its id after.
 * If the engine dies in between, {@link #unconfirmed()} lists it, and the engine looks it up by job
 * name ({@link SlurmClient#findArraysByName}) before deciding to forget and resubmit it.
 * Single writer: the engine's run-folder lock guards this file.
 */
public final class SlurmJobsFile {
    public static final String FILE_NAME = "slurm-jobs.json";
    public static final String SCHEMA = "robustsweep.slurm-jobs/1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<SubmittedArray> arrays;

    private SlurmJobsFile(Path file, List<SubmittedArray> arrays) {
        this.file = file;
        this.arrays = new ArrayList<>(arrays);
    }

    /** The file as stored in a run folder; empty when the sweep has no Slurm jobs yet. */
    public static SlurmJobsFile load(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.exists(file)) return new SlurmJobsFile(file, List.of());
        Stored stored;
        try {
            stored = JSON.readValue(file.toFile(), Stored.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": not a valid Slurm job record: " + e.getOriginalMessage(), e);
        }
        if (!SCHEMA.equals(stored.schema())) {
            throw new IOException(file + ": key schema: expected \"" + SCHEMA + "\", found \"" + stored.schema() + "\"");
        }
        return new SlurmJobsFile(file, stored.arrays() == null ? List.of() : stored.arrays());
    }

    public List<SubmittedArray> arrays() {
        return List.copyOf(arrays);
    }

    /** The number for the next submission (one more than the highest recorded). */
    public int nextSubmission() {
        return arrays.stream().mapToInt(SubmittedArray::submission).max().orElse(0) + 1;
    }

    /** Records a submission about to be made (no job id yet) and saves the file. */
    public void recordIntent(SubmittedArray intent) throws IOException {
        if (intent.isSubmitted()) throw new IllegalArgumentException("an intent has no job id yet");
        if (find(intent.submission()).isPresent()) {
            throw new IllegalArgumentException("submission " + intent.submission() + " is already recorded in " + file);
        }
        arrays.add(intent);
        save();
    }

    /** Records the job id sbatch printed (or that was found by job name) and saves the file. */
    public SubmittedArray recordSubmitted(int submission, String arrayJobId) throws IOException {
        SubmittedArray a = find(submission).orElseThrow(() ->
                new IllegalArgumentException("submission " + submission + " is not recorded in " + file));
        SubmittedArray done = a.withArrayJobId(arrayJobId);
        arrays.set(arrays.indexOf(a), done);
        save();
        return done;
    }

    /** Drops a submission that never reached Slurm (sbatch refused it, or no job carries its name). */
    public void forget(int submission) throws IOException {
        if (arrays.removeIf(a -> a.submission() == submission && !a.isSubmitted())) save();
    }

    /** Submissions recorded without a job id: the engine died between recording and sbatch's answer. */
    public List<SubmittedArray> unconfirmed() {
        return arrays.stream().filter(a -> !a.isSubmitted()).toList();
    }

    /** The most recent submitted task that runs {@code trialId}, if any. */
    public Optional<TaskRef> latestTaskFor(String trialId) {
        for (int i = arrays.size() - 1; i >= 0; i--) {
            SubmittedArray a = arrays.get(i);
            if (!a.isSubmitted()) continue;
            for (int t = a.tasks().size() - 1; t >= 0; t--) {
                if (a.tasks().get(t).trialId().equals(trialId)) {
                    return Optional.of(new TaskRef(a.arrayJobId(), t, a.tasks().get(t).attempt(), a.submission()));
                }
            }
        }
        return Optional.empty();
    }

    /** Where a trial's latest attempt runs: array job id and task index, attempt number, submission. */
    public record TaskRef(String arrayJobId, int taskId, int attempt, int submission) {}

    private Optional<SubmittedArray> find(int submission) {
        return arrays.stream().filter(a -> a.submission() == submission).findFirst();
    }

    private void save() throws IOException {
        TrialFiles.writeAtomically(file, JSON.valueToTree(new Stored(SCHEMA, arrays)));
    }

    private record Stored(@JsonProperty("schema") String schema, @JsonProperty("arrays") List<SubmittedArray> arrays) {}
}
