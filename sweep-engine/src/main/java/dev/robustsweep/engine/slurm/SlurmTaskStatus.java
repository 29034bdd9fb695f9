package dev.robustsweep.engine.slurm;

/**
 * What the scheduler says about one array task.
 *
 * @param arrayJobId the array's job id (what sbatch printed), e.g. "41"
 * @param taskId     the array index, i.e. the line of the task list
 * @param jobId      the task's own job id (not the same number as the array's for most tasks), null if not yet split off
 * @param state      the task's state
 * @param reason     Slurm's reason (pending reason, "None", "JobArrayTaskLimit"...), null if unknown
 * @param exitCode   exit code and signal, null when the source does not report it (squeue)
 */
public record SlurmTaskStatus(String arrayJobId, int taskId, String jobId, SlurmJobState state, String reason,
                              SlurmExitCode exitCode) {

    /** A failure reason for a trial that ended without a result, e.g. "Slurm CANCELLED, exit code 0:15". */
    public String failureReason() {
        return "Slurm " + state + (exitCode == null ? "" : ", exit code " + exitCode)
                + (reason == null || reason.equals("None") ? "" : ", reason " + reason)
                + " (array job " + arrayJobId + ", task " + taskId + ")";
    }
}
