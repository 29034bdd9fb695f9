package dev.robustsweep.engine.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Writes a Slurm array job for a list of trial folders into {@code runDir/slurm/}:
 * {@code array-NNNN.sh} (the batch script) and {@code array-NNNN.tasks} (one trial folder per line).
 *
 * <p>Safety: {@code #SBATCH} lines carry only values validated by {@link SlurmSettings}. Trial folders
 * are never written into the script: task i reads line i of the task list at run time, and the worker
 * command and launcher words are single-quoted with {@link ShellQuote}. The only unquoted text is the
 * user's {@code setup} block, trusted shell by design. Array task i runs
 * {@code launcher... worker... --trial DIR/trial.json --out DIR}.
 */
public final class BatchScriptWriter {
    /** Folder under the run folder with scripts, task lists and Slurm's logs. */
    public static final String SLURM_DIR = "slurm";
    /** Slurm's own output per array task, relative to the run folder (sbatch does not create folders). */
    public static final String LOG_PATTERN = SLURM_DIR + "/logs/%A_%a.log";

    private final SlurmSettings settings;
    private final List<String> workerCommand;
    private final String trialLogName;

    /**
     * @param settings      validated Slurm settings
     * @param workerCommand the worker's argv before {@code --trial}, e.g. {@code [/opt/robustsweep/robustsweep, train]}
     * @param trialLogName  file in each trial folder that receives the worker's stdout and stderr (appended),
     *                      or null to leave them in Slurm's log under {@code slurm/logs/}
     */
    public BatchScriptWriter(SlurmSettings settings, List<String> workerCommand, String trialLogName) {
        if (workerCommand.isEmpty()) throw new IllegalArgumentException("worker command is empty");
        if (trialLogName != null && !trialLogName.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("trial log name must be a plain file name, found \"" + trialLogName + "\"");
        }
        this.settings = settings;
        this.workerCommand = List.copyOf(workerCommand);
        this.trialLogName = trialLogName;
    }

    /**
     * Writes submission number {@code submission} (1, 2, ... within the run folder) for {@code trialDirs}.
     *
     * @param sweepName the sweep's name, used (sanitised) in the job name
     */
    public BatchScript write(Path runDir, String sweepName, int submission, List<Path> trialDirs) throws IOException {
        if (trialDirs.isEmpty()) throw new IllegalArgumentException("no trials to submit");
        if (trialDirs.size() > settings.maxArraySize()) {
            throw new IllegalArgumentException(trialDirs.size() + " trials exceed max_array_size " + settings.maxArraySize()
                    + "; split them over several array jobs");
        }
        if (submission < 1) throw new IllegalArgumentException("submission number must be >= 1, found " + submission);
        Path run = runDir.toAbsolutePath().normalize();
        List<Path> dirs = new ArrayList<>();
        for (Path d : trialDirs) {
            Path abs = d.toAbsolutePath().normalize();
            if (abs.toString().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("trial folder name contains a control character (newline, tab...): "
                        + abs.toString().replaceAll("\\p{Cntrl}", "?"));
            }
            dirs.add(abs);
        }
        Path slurmDir = run.resolve(SLURM_DIR);
        Files.createDirectories(slurmDir.resolve("logs"));
        String base = String.format(Locale.ROOT, "array-%04d", submission);
        Path taskList = slurmDir.resolve(base + ".tasks");
        Path script = slurmDir.resolve(base + ".sh");
        String jobName = jobName(run, sweepName, submission);

        StringBuilder tasks = new StringBuilder();
        for (Path d : dirs) tasks.append(d).append('\n');
        writeFile(taskList, tasks.toString(), false);
        writeFile(script, scriptText(run, script, taskList, jobName, dirs.size()), true);
        return new BatchScript(run, script, taskList, jobName, dirs);
    }

    /** The {@code #SBATCH} options, in order; every value was validated by {@link SlurmSettings}. */
    public List<String> directives(String jobName, int taskCount) {
        List<String> d = new ArrayList<>();
        d.add("--job-name=" + jobName);
        d.add("--array=0-" + (taskCount - 1) + "%" + Math.min(settings.maxConcurrent(), taskCount));
        d.add("--output=" + LOG_PATTERN);
        d.add("--cpus-per-task=" + settings.cpusPerTask());
        if (settings.partition() != null) d.add("--partition=" + settings.partition());
        if (settings.timeLimit() != null) d.add("--time=" + settings.timeLimit());
        if (settings.mem() != null) d.add("--mem=" + settings.mem());
        if (settings.gpus() > 0) {
            d.add("--gres=gpu:" + (settings.gpuType() == null ? "" : settings.gpuType() + ":") + settings.gpus());
        }
        if (settings.account() != null) d.add("--account=" + settings.account());
        if (settings.qos() != null) d.add("--qos=" + settings.qos());
        d.addAll(settings.extraFlags());
        return d;
    }

    private String scriptText(Path run, Path script, Path taskList, String jobName, int taskCount) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# RobustSweep array job, written by the sweep engine. Submit from the run folder:\n");
        s.append("#   cd ").append(ShellQuote.quote(run.toString())).append(" && sbatch --parsable ")
                .append(SLURM_DIR).append('/').append(script.getFileName()).append('\n');
        for (String d : directives(jobName, taskCount)) s.append("#SBATCH ").append(d).append('\n');
        s.append('\n');
        if (!settings.setup().isEmpty()) {
            s.append("# ---- setup: trusted shell lines from the grid's slurm.setup, copied verbatim ----\n");
            for (String line : settings.setup()) s.append(line).append('\n');
            s.append("# ---- end of setup ----\n\n");
        }
        s.append("set -euo pipefail\n");
        s.append("# task i runs the trial folder on line i+1 of the task list (read, never interpolated)\n");
        s.append("task_list=").append(ShellQuote.quote(taskList.toString())).append('\n');
        s.append("task=${SLURM_ARRAY_TASK_ID:-}\n");
        s.append("if [[ ! $task =~ ^[0-9]+$ ]]; then echo \"robustsweep: not a Slurm array task (SLURM_ARRAY_TASK_ID='$task')\" >&2; exit 2; fi\n");
        s.append("mapfile -t trial_dirs < \"$task_list\"\n");
        s.append("if (( task >= ${#trial_dirs[@]} )); then echo \"robustsweep: task $task beyond the ${#trial_dirs[@]} lines of $task_list\" >&2; exit 2; fi\n");
        s.append("trial_dir=${trial_dirs[task]}\n");
        s.append("echo \"robustsweep: array task $task of job ${SLURM_ARRAY_JOB_ID:-?} (job ${SLURM_JOB_ID:-?}) on $(hostname): $trial_dir\"\n");
        List<String> argv = new ArrayList<>(settings.launcher());
        argv.addAll(workerCommand);
        s.append("worker=(").append(ShellQuote.join(argv)).append(")\n");
        s.append("exec \"${worker[@]}\" --trial \"$trial_dir/trial.json\" --out \"$trial_dir\"");
        if (trialLogName != null) s.append(" >>\"$trial_dir\"/").append(ShellQuote.quote(trialLogName)).append(" 2>&1");
        s.append('\n');
        return s.toString();
    }

    /** {@code rs-<sweep>-<8 hex of the run folder path>-<submission>}: unique per run folder, found again by name after a crash. */
    static String jobName(Path run, String sweepName, int submission) {
        String sweep = sweepName == null ? "sweep" : sweepName.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (sweep.length() > 40) sweep = sweep.substring(0, 40);
        return String.format(Locale.ROOT, "rs-%s-%s-%04d", sweep, shortHash(run.toString()), submission);
    }

    private static String shortHash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeFile(Path target, String text, boolean executable) throws IOException {
        Path tmp = dev.robustsweep.trainers.trial.TrialFiles.newTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString());
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (executable) Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
