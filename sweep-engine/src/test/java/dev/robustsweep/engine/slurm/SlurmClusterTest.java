package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Slurm (CI: .ci/slurm-up.sh, a single node on localhost). Skipped with a message when no
 * controller answers, except under CI=true, where a missing Slurm is a failure.
 * The one time-limit test is submitted first so that its minute overlaps the other tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmClusterTest {
    private static final SlurmClient client = new SlurmClient(Duration.ofSeconds(30));
    private static final List<String> submitted = new ArrayList<>();
    @TempDir
    static Path tmp;
    private static Path worker;
    private static BatchScript timeoutJob;
    private static String timeoutArray;
    private static Instant timeoutSubmitted;
    private static int runs;
    private static String skipReason;

    @BeforeAll
    static void requireSlurm() throws IOException {
        Optional<String> why = client.whyUnavailable();
        if (why.isPresent()) {
            String msg = "no Slurm controller reachable (" + why.get() + "); as root, start one with .ci/slurm-up.sh";
            if ("true".equals(System.getenv("CI"))) fail("CI=true, but " + msg);
            skipReason = "Slurm integration tests skipped: " + msg;
            System.err.println(skipReason);
            return;
        }
        worker = WorkerScripts.write(tmp);
        // time limit 1 minute (Slurm's minimum); OverTimeLimit=0, KillWait=2 in the CI config
        SlurmSettings oneMinute = SlurmSettings.builder().optTimeLimit("1").build();
        timeoutJob = write(oneMinute, "timeout", 1, 600);
        timeoutArray = submit(timeoutJob);
        timeoutSubmitted = Instant.now();
    }

    @BeforeEach
    void skipWithoutSlurm() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void cancelLeftovers() {
        if (worker == null) return;
        for (String id : submitted) client.cancel(id);
    }

    /** A run folder with {@code n} trial folders (trial.json each); task {@code sleepTask} sleeps {@code sleepS} seconds. */
    private static BatchScript write(SlurmSettings settings, String sweep, int n, int sleepS, int... sleepTasks) throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run-" + (++runs)));
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path d = Files.createDirectories(run.resolve("trials").resolve("trial-" + i));
            Files.writeString(d.resolve("trial.json"), "{\"trial_id\": \"trial-" + i + "\"}");
            dirs.add(d);
        }
        for (int t : sleepTasks.length == 0 && sleepS > 0 ? new int[] {0} : sleepTasks) {
            Files.writeString(dirs.get(t).resolve("sleep"), String.valueOf(sleepS));
        }
        return new BatchScriptWriter(settings, List.of(worker.toString(), "train"), null).write(run, sweep, 1, dirs);
    }

    private static String submit(BatchScript s) {
        String id = client.submit(s);
        submitted.add(id);
        return id;
    }

    /** Polls with a short backoff until all {@code n} tasks are final; returns them by task id. */
    private static Map<Integer, SlurmTaskStatus> awaitFinal(String arrayId, int n, Duration max) throws InterruptedException {
        PollBackoff backoff = new PollBackoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(2));
        Instant end = Instant.now().plus(max);
        List<SlurmTaskStatus> last = List.of();
        while (Instant.now().isBefore(end)) {
            List<SlurmTaskStatus> now = client.queryArray(arrayId);
            if (now.size() == n && now.stream().allMatch(t -> t.state().isFinal())) {
                Map<Integer, SlurmTaskStatus> byTask = new TreeMap<>();
                for (SlurmTaskStatus t : now) byTask.put(t.taskId(), t);
                return byTask;
            }
            Thread.sleep(backoff.next(!now.equals(last)).toMillis());
            last = now;
        }
        throw new AssertionError("array " + arrayId + " not finished after " + max + ": " + last);
    }

    private static SlurmTaskStatus awaitState(String arrayId, int task, SlurmJobState state) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            for (SlurmTaskStatus t : client.queryArray(arrayId)) if (t.taskId() == task && t.state() == state) return t;
            Thread.sleep(100);
        }
        throw new AssertionError("task " + task + " of " + arrayId + " never " + state + ": " + client.queryArray(arrayId));
    }

    @Test
    @Order(1)
    void arrayOfFourRunsToTheEndAndEveryTrialGetsItsResult() throws Exception {
        BatchScript s = write(SlurmSettings.defaults(), "four", 4, 0);
        SlurmJobsFile record = SlurmJobsFile.load(s.runDir());
        record.recordIntent(new SubmittedArray(1, s.jobName(), null, "slurm/array-0001.sh", Instant.now().toString(),
                List.of(new SubmittedArray.Task("trial-0", 1), new SubmittedArray.Task("trial-1", 1),
                        new SubmittedArray.Task("trial-2", 1), new SubmittedArray.Task("trial-3", 1))));
        long t0 = System.nanoTime();
        String id = submit(s);
        record.recordSubmitted(1, id);
        Map<Integer, SlurmTaskStatus> done = awaitFinal(id, 4, Duration.ofSeconds(60));
        System.out.printf("slurm: 4-task array %s submitted and finished in %.2f s%n", id, (System.nanoTime() - t0) / 1e9);

        assertEquals(Set.of(0, 1, 2, 3), done.keySet());
        for (int i = 0; i < 4; i++) {
            assertEquals(SlurmJobState.COMPLETED, done.get(i).state(), done.get(i).toString());
            String result = Files.readString(s.trialDirs().get(i).resolve("result.json"));
            assertTrue(result.contains("\"task\": \"" + i + "\""), "task " + i + " ran another trial: " + result);
        }
        // exit codes via scontrol; accounting is off in the CI cluster, so sacct is never relied on
        Map<Integer, SlurmExitCode> codes = client.exitCodes(id);
        for (int i = 0; i < 4; i++) assertEquals(new SlurmExitCode(0, 0), codes.get(i));
        if (!client.accountingEnabled()) assertEquals(List.of(), client.sacctArray(id));
        // a restarted engine finds the job by its record, and by name if it died before recording the id
        assertEquals(new SlurmJobsFile.TaskRef(id, 2, 1, 1), SlurmJobsFile.load(s.runDir()).latestTaskFor("trial-2").orElseThrow());
        assertEquals(List.of(id), client.findArraysByName(s.jobName()));
    }

    @Test
    @Order(2)
    void gpuTasksGetTheirOwnSimulatedGpu() throws Exception {
        BatchScript s = write(SlurmSettings.builder().optGpus(1).build(), "gpu", 2, 3, 0, 1);
        String id = submit(s);
        Map<Integer, SlurmTaskStatus> done = awaitFinal(id, 2, Duration.ofSeconds(60));
        Set<String> gpus = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            assertEquals(SlurmJobState.COMPLETED, done.get(i).state());
            String result = Files.readString(s.trialDirs().get(i).resolve("result.json"));
            String cvd = result.replaceAll("(?s).*\"cuda_visible_devices\": \"([^\"]*)\".*", "$1");
            String jobGpus = result.replaceAll("(?s).*\"slurm_job_gpus\": \"([^\"]*)\".*", "$1");
            assertTrue(cvd.matches("\\d"), "CUDA_VISIBLE_DEVICES not set: " + result);
            assertEquals(cvd, jobGpus, result);
            gpus.add(jobGpus);
        }
        assertEquals(Set.of("0", "1"), gpus, "two tasks running at the same time shared a GPU");
    }

    @Test
    @Order(3)
    void scancelledTaskIsCancelledWithItsExitCodeAndTheOthersComplete() throws Exception {
        BatchScript s = write(SlurmSettings.defaults(), "cancel", 2, 300, 1);
        String id = submit(s);
        awaitState(id, 1, SlurmJobState.RUNNING);
        client.cancelTask(id, 1);
        Map<Integer, SlurmTaskStatus> done = awaitFinal(id, 2, Duration.ofSeconds(60));
        assertEquals(SlurmJobState.COMPLETED, done.get(0).state());
        assertEquals(SlurmJobState.CANCELLED, done.get(1).state());
        assertTrue(Files.exists(s.trialDirs().get(0).resolve("result.json")));
        assertFalse(Files.exists(s.trialDirs().get(1).resolve("result.json")));
        SlurmExitCode code = client.exitCodes(id).get(1);
        assertEquals(new SlurmExitCode(0, 15), code, "scancel ends a task with SIGTERM");
        SlurmTaskStatus withCode = client.showArray(id).stream().filter(t -> t.taskId() == 1).findFirst().orElseThrow();
        assertTrue(withCode.failureReason().startsWith("Slurm CANCELLED, exit code 0:15"), withCode.failureReason());
        client.cancelTask(id, 1); // already ended: not an error
    }

    @Test
    @Order(4)
    void shellSyntaxInSettingsIsRejectedAndInFoldersNeverRuns() throws Exception {
        Path pwned = tmp.resolve("pwned");
        var partition = assertThrows(InvalidSlurmSettingsException.class,
                () -> SlurmSettings.builder().keyPrefix("execution.slurm").optPartition("debug$(touch " + pwned + ")").build());
        assertTrue(partition.getMessage().startsWith("execution.slurm.partition: "), partition.getMessage());
        var flag = assertThrows(InvalidSlurmSettingsException.class,
                () -> SlurmSettings.builder().optExtraFlags(List.of("--comment=x;touch " + pwned)).build());
        assertTrue(flag.getMessage().startsWith("slurm.extra_flags[0]: "), flag.getMessage());

        Path run = Files.createDirectories(tmp.resolve("run-inject $(touch " + pwned + ")"));
        List<Path> dirs = new ArrayList<>();
        for (String name : List.of("a$(touch " + pwned + ")", "b`touch " + pwned + "`", "c'; touch " + pwned + "; '", "d;touch x&&y|z")) {
            Path d = Files.createDirectories(run.resolve(name));
            Files.writeString(d.resolve("trial.json"), "{}");
            dirs.add(d);
        }
        SlurmSettings settings = SlurmSettings.builder().optLauncher(List.of("env", "X=$(touch " + pwned + ")")).build();
        BatchScript s = new BatchScriptWriter(settings, List.of(worker.toString(), "train;touch " + pwned), null)
                .write(run, "inject;touch " + pwned, 1, dirs);
        String id = submit(s);
        Map<Integer, SlurmTaskStatus> done = awaitFinal(id, dirs.size(), Duration.ofSeconds(60));
        for (int i = 0; i < dirs.size(); i++) {
            assertEquals(SlurmJobState.COMPLETED, done.get(i).state(), done.get(i) + " " + dirs.get(i));
            assertTrue(Files.exists(dirs.get(i).resolve("result.json")), "no result in " + dirs.get(i));
        }
        assertFalse(Files.exists(pwned), "an injected command ran");
    }

    @Test
    @Order(5)
    void impossibleRequestIsRefusedAtSubmitAndUnknownJobsAreEmpty() throws Exception {
        BatchScript s = write(SlurmSettings.builder().optCpusPerTask(4096).build(), "huge", 1, 0);
        SlurmCommandException e = assertThrows(SlurmCommandException.class, () -> client.submit(s));
        assertTrue(e.getMessage().startsWith("sbatch --parsable " + s.script() + ": sbatch refused the job: "), e.getMessage());
        assertNotNull(e.stderr());
        assertEquals(List.of(), client.queryArray("999999"));
        assertEquals(Map.of(), client.exitCodes("999999"));
        assertEquals(List.of(), client.findArraysByName("rs-no-such-job"));
        client.cancel("999999"); // unknown: not an error
    }

    @Test
    @Order(6)
    void taskOverItsTimeLimitEndsAsTimeout() throws Exception {
        Map<Integer, SlurmTaskStatus> done = awaitFinal(timeoutArray, 1, Duration.ofSeconds(150));
        System.out.printf("slurm: 1-minute time limit enforced %.0f s after submission%n",
                Duration.between(timeoutSubmitted, Instant.now()).toMillis() / 1e3);
        assertEquals(SlurmJobState.TIMEOUT, done.get(0).state(), done.get(0).toString());
        assertFalse(Files.exists(timeoutJob.trialDirs().get(0).resolve("result.json")));
        assertNotNull(client.exitCodes(timeoutArray).get(0));
    }
}
