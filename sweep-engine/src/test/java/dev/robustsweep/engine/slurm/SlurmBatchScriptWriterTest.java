package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generated script with bash directly (no Slurm needed), setting SLURM_ARRAY_TASK_ID as Slurm would. */
class SlurmBatchScriptWriterTest {
    @TempDir
    Path tmp;

    private Path trialDir(String name) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("run").resolve("trials").resolve(name));
        Files.writeString(d.resolve("trial.json"), "{}");
        return d;
    }

    private int runTask(BatchScript s, String taskId) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", s.script().toString()).directory(s.runDir().toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("task-" + Integer.toHexString(taskId.hashCode()) + ".out").toFile());
        pb.environment().put("SLURM_ARRAY_TASK_ID", taskId);
        return pb.start().waitFor();
    }

    private static List<String> argv(Path trialDir) throws Exception {
        String raw = Files.readString(trialDir.resolve("argv"), StandardCharsets.UTF_8);
        return new ArrayList<>(Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1)));
    }

    @Test
    void sbatchLinesComeOnlyFromValidatedSettings() throws Exception {
        SlurmSettings settings = SlurmSettings.builder().optPartition("gpu").optTimeLimit("4:00:00").optCpusPerTask(4)
                .optMem("16G").optGpus(1).optGpuType("a100").optAccount("proj").optQos("normal").optMaxConcurrent(2)
                .optExtraFlags(List.of("--constraint=a100")).build();
        BatchScript s = new BatchScriptWriter(settings, List.of("robustsweep", "train"), null)
                .write(tmp.resolve("run"), "quick start", 3, List.of(trialDir("a"), trialDir("b"), trialDir("c")));
        assertEquals(tmp.resolve("run/slurm/array-0003.sh"), s.script());
        assertTrue(Files.isDirectory(tmp.resolve("run/slurm/logs")), "sbatch does not create the log folder");
        List<String> sbatch = Files.readAllLines(s.script()).stream().filter(l -> l.startsWith("#SBATCH")).toList();
        assertEquals(List.of(
                "#SBATCH --job-name=" + s.jobName(),
                "#SBATCH --array=0-2%2",
                "#SBATCH --output=slurm/logs/%A_%a.log",
                "#SBATCH --cpus-per-task=4",
                "#SBATCH --partition=gpu",
                "#SBATCH --time=4:00:00",
                "#SBATCH --mem=16G",
                "#SBATCH --gres=gpu:a100:1",
                "#SBATCH --account=proj",
                "#SBATCH --qos=normal",
                "#SBATCH --constraint=a100"), sbatch);
        assertTrue(s.jobName().matches("rs-quick_start-[0-9a-f]{8}-0003"), s.jobName());
        assertEquals(List.of(tmp.resolve("run/trials/a").toString(), tmp.resolve("run/trials/b").toString(),
                tmp.resolve("run/trials/c").toString()), Files.readAllLines(s.taskList()));
        Process check = new ProcessBuilder("bash", "-n", s.script().toString()).start();
        assertEquals(0, check.waitFor(), "generated script is not valid bash");
    }

    @Test
    void eachTaskRunsItsTrialWithExactArgumentsAndSetupFirst() throws Exception {
        Path worker = WorkerScripts.write(tmp);
        SlurmSettings settings = SlurmSettings.builder()
                .optSetup(List.of("export RS_SETUP_VAR=from-setup", "set +e # setup may run anything"))
                .optLauncher(List.of("env", "RS_LAUNCH=1")).build();
        List<Path> dirs = List.of(trialDir("t0"), trialDir("t1"));
        BatchScript s = new BatchScriptWriter(settings, List.of(worker.toString(), "train"), "worker.log")
                .write(tmp.resolve("run"), "sw", 1, dirs);
        for (int i = 0; i < 2; i++) {
            assertEquals(0, runTask(s, String.valueOf(i)), Files.readString(tmp.resolve("task-" + Integer.toHexString(String.valueOf(i).hashCode()) + ".out")));
            Path d = dirs.get(i);
            assertEquals(List.of("train", "--trial", d.resolve("trial.json").toString(), "--out", d.toString()), argv(d));
            String result = Files.readString(d.resolve("result.json"));
            assertTrue(result.contains("\"task\": \"" + i + "\""), result);
            assertTrue(result.contains("\"setup_var\": \"from-setup\""), result);
            assertTrue(Files.exists(d.resolve("worker.log")));
        }
    }

    @Test
    void badTaskIdsStopTheScript() throws Exception {
        Path worker = WorkerScripts.write(tmp);
        BatchScript s = new BatchScriptWriter(SlurmSettings.defaults(), List.of(worker.toString()), null)
                .write(tmp.resolve("run"), "sw", 1, List.of(trialDir("only")));
        Path pwned = tmp.resolve("pwned-task-id");
        assertEquals(2, runTask(s, "1"));
        assertEquals(2, runTask(s, "0+$(touch " + pwned + ")"));
        assertEquals(2, runTask(s, "a[$(touch " + pwned + ")]"));
        assertFalse(Files.exists(pwned));
        assertFalse(Files.exists(tmp.resolve("run/trials/only/result.json")));
    }

    /** Trial folders and launcher words with shell syntax are data: nothing in them runs. */
    @Test
    void shellSyntaxInFoldersAndCommandIsNeverExecuted() throws Exception {
        Path pwned = tmp.resolve("pwned");
        Path worker = WorkerScripts.write(tmp);
        List<Path> dirs = List.of(
                trialDir("a$(touch " + pwned.getFileName() + ")"),
                trialDir("b`touch pwned`"),
                trialDir("c'; touch pwned; '"),
                trialDir("d\"; touch pwned; \" && x"),
                trialDir("e $HOME * ~"));
        SlurmSettings settings = SlurmSettings.builder().optLauncher(List.of("env", "X=$(touch " + pwned + ")")).build();
        BatchScript s = new BatchScriptWriter(settings, List.of(worker.toString(), "train;touch " + pwned), null)
                .write(tmp.resolve("run"), "sw;rm -rf /", 1, dirs);
        assertFalse(Files.readString(s.script()).contains("trials/a$"), "trial folders must not be in the script");
        for (int i = 0; i < dirs.size(); i++) {
            assertEquals(0, runTask(s, String.valueOf(i)), Files.readString(tmp.resolve("task-" + Integer.toHexString(String.valueOf(i).hashCode()) + ".out")));
            assertTrue(Files.exists(dirs.get(i).resolve("result.json")), "no result in " + dirs.get(i));
            assertEquals(List.of("train;touch " + pwned, "--trial", dirs.get(i).resolve("trial.json").toString(),
                    "--out", dirs.get(i).toString()), argv(dirs.get(i)));
        }
        assertFalse(Files.exists(pwned), "an injected command ran");
        try (var files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("pwned")).toList());
        }
    }

    @Test
    void refusesWhatCannotBeWrittenSafely() throws Exception {
        BatchScriptWriter w = new BatchScriptWriter(SlurmSettings.builder().optMaxArraySize(2).build(), List.of("w"), null);
        Path run = tmp.resolve("run");
        var nl = assertThrows(IllegalArgumentException.class, () -> w.write(run, "s", 1, List.of(tmp.resolve("a\nb"))));
        assertTrue(nl.getMessage().contains("control character"), nl.getMessage());
        var big = assertThrows(IllegalArgumentException.class,
                () -> w.write(run, "s", 1, List.of(tmp.resolve("a"), tmp.resolve("b"), tmp.resolve("c"))));
        assertTrue(big.getMessage().contains("max_array_size 2"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.write(run, "s", 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BatchScriptWriter(SlurmSettings.defaults(), List.of("w"), "../log"));
    }
}
