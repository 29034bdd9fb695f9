package dev.robustsweep.engine.slurm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One array job of a sweep as recorded in {@code slurm-jobs.json}: task i runs {@code tasks.get(i)}.
 *
 * @param submission  1, 2, ... within the run folder (names the script {@code slurm/array-NNNN.sh})
 * @param jobName     Slurm job name, unique per run folder; finds the job again if the engine died before recording its id
 * @param arrayJobId  what sbatch printed; null while the submission is only intended (recorded before sbatch runs)
 * @param script      the batch script, relative to the run folder
 * @param submittedAt when the submission was recorded, ISO-8601 UTC ({@code Instant.toString()})
 * @param tasks       trial and attempt per array task, in task order
 */
public record SubmittedArray(
        @JsonProperty("submission") int submission,
        @JsonProperty("job_name") String jobName,
        @JsonProperty("array_job_id") String arrayJobId,
        @JsonProperty("script") String script,
        @JsonProperty("submitted_at") String submittedAt,
        @JsonProperty("tasks") List<Task> tasks) {

    public SubmittedArray {
        tasks = List.copyOf(tasks);
    }

    /** The trial of one array task and which attempt of that trial it is (1 = first run). */
    public record Task(@JsonProperty("trial_id") String trialId, @JsonProperty("attempt") int attempt) {}

    /** True once sbatch accepted the job and its id was recorded. */
    @JsonIgnore
    public boolean isSubmitted() {
        return arrayJobId != null;
    }

    SubmittedArray withArrayJobId(String id) {
        return new SubmittedArray(submission, jobName, id, script, submittedAt, tasks);
    }
}
