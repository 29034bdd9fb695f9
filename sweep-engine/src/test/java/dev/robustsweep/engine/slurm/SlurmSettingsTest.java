package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlurmSettingsTest {

    private static InvalidSlurmSettingsException rejected(UnaryOperator<SlurmSettings.Builder> set) {
        return assertThrows(InvalidSlurmSettingsException.class, () -> set.apply(SlurmSettings.builder()).build());
    }

    @Test
    void defaults() {
        SlurmSettings s = SlurmSettings.defaults();
        assertEquals(1, s.cpusPerTask());
        assertEquals(0, s.gpus());
        assertEquals(64, s.maxConcurrent());
        assertEquals(1000, s.maxArraySize());
        assertEquals(null, s.partition());
        assertTrue(s.extraFlags().isEmpty() && s.setup().isEmpty() && s.launcher().isEmpty());
    }

    @Test
    void acceptsUsualClusterValues() {
        SlurmSettings s = SlurmSettings.builder().optPartition("gpu,gpu-long").optTimeLimit("1-12:00:00").optCpusPerTask(8)
                .optMem("32G").optGpus(2).optGpuType("a100").optAccount("proj_123").optQos("normal.high")
                .optMaxConcurrent(16).optExtraFlags(List.of("--constraint=a100,h100", "--exclusive",
                        "--nodelist=node[01-04]", "--mail-user=me@uni.edu"))
                .optSetup(List.of("module load cuda/12.8", "export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK"))
                .optLauncher(List.of("apptainer", "exec", "--nv", "/images/rs gpu.sif")).build();
        assertEquals("gpu,gpu-long", s.partition());
        assertEquals(4, s.extraFlags().size());
        for (String t : List.of("30", "30:00", "4:00:00", "2-12", "2-12:30", "INFINITE")) {
            assertEquals(t, SlurmSettings.builder().optTimeLimit(t).build().timeLimit());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debug;touch /tmp/pwned", "debug$(touch /tmp/pwned)", "debug`id`", "gpu long", "gpu\n#SBATCH --x",
            "gpu|cat", "gpu&", "'gpu'", "\"gpu\"", "gpu>x", "", ","})
    void partitionWithShellCharactersIsRejectedNamingTheKey(String bad) {
        var e = rejected(b -> b.keyPrefix("execution.slurm").optPartition(bad));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().startsWith("execution.slurm.partition: expected a partition name"), e.getMessage());
        assertTrue(e.getMessage().contains("found \""), e.getMessage());
    }

    @Test
    void everyTokenKeyIsChecked() {
        assertTrue(rejected(b -> b.optAccount("a;b")).getMessage().startsWith("slurm.account: "));
        assertTrue(rejected(b -> b.optQos("$(x)")).getMessage().startsWith("slurm.qos: "));
        assertTrue(rejected(b -> b.optTimeLimit("1h")).getMessage().startsWith("slurm.time_limit: expected a Slurm time"));
        assertTrue(rejected(b -> b.optMem("16 GB")).getMessage().startsWith("slurm.mem: "));
        assertTrue(rejected(b -> b.optGpus(1).optGpuType("a100;x")).getMessage().startsWith("slurm.gpu_type: "));
        assertTrue(rejected(b -> b.optGpuType("a100")).getMessage().contains("gpus is 0"));
        assertTrue(rejected(b -> b.optCpusPerTask(0)).getMessage().startsWith("slurm.cpus_per_task: expected an integer >= 1, found 0"));
        assertTrue(rejected(b -> b.optGpus(-1)).getMessage().startsWith("slurm.gpus: "));
        assertTrue(rejected(b -> b.optMaxConcurrent(0)).getMessage().startsWith("slurm.max_concurrent: "));
        assertTrue(rejected(b -> b.optSetup(List.of("module load a\nrm -rf x"))).getMessage().startsWith("slurm.setup[0]: "));
        assertTrue(rejected(b -> b.optLauncher(List.of("apptainer", ""))).getMessage().startsWith("slurm.launcher[1]: "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--comment=$(touch /tmp/pwned)", "--comment=x;touch /tmp/pwned", "--comment=`id`", "-p debug",
            "--comment=a b", "--comment='x'", "comment=x", "--export=ALL\n#SBATCH --x"})
    void extraFlagWithShellCharactersIsRejected(String bad) {
        var e = rejected(b -> b.optExtraFlags(List.of("--exclusive", bad)));
        assertTrue(e.getMessage().startsWith("slurm.extra_flags[1]: expected a long sbatch option"), e.getMessage());
    }

    @Test
    void extraFlagsCannotOverrideWhatTheBackendOrAKeyControls() {
        var e = rejected(b -> b.optExtraFlags(List.of("--array=0-9", "--wrap=id", "--partition=x", "--output=/tmp/o", "--gres=gpu:1")));
        assertEquals(5, e.problems().size());
        assertTrue(e.problems().get(0).contains("--array is not allowed here"), e.problems().get(0));
        assertTrue(e.problems().get(2).contains("use the key partition"), e.problems().get(2));
    }

    @Test
    void readsTheGridBlockAndReportsAllProblemsTogether() throws Exception {
        JsonNode ok = new YAMLMapper().readTree("""
                partition: gpu
                time_limit: "04:00:00"
                cpus_per_task: 4
                mem: 16G
                gpus: 1
                max_concurrent: 8
                extra_flags: [--constraint=a100]
                setup:
                  - module load cuda/12.8
                launcher: [apptainer, exec, --nv, img.sif]
                """);
        SlurmSettings s = SlurmSettings.fromJson(ok, "execution.slurm");
        assertEquals("04:00:00", s.timeLimit());
        assertEquals(8, s.maxConcurrent());
        assertEquals(List.of("apptainer", "exec", "--nv", "img.sif"), s.launcher());
        // an integer time limit means minutes, as for sbatch
        assertEquals("30", SlurmSettings.fromJson(new ObjectMapper().readTree("{\"time_limit\": 30}"), "x").timeLimit());

        JsonNode bad = new YAMLMapper().readTree("""
                partiton: gpu
                cpus_per_task: four
                partition: "gpu; rm -rf ~"
                extra_flags: [--exclusive, 3]
                """);
        var e = assertThrows(InvalidSlurmSettingsException.class, () -> SlurmSettings.fromJson(bad, "execution.slurm"));
        assertEquals(List.of(
                "execution.slurm.partiton: unknown key; expected one of " + String.join(", ", SlurmSettings.KEYS),
                "execution.slurm.cpus_per_task: expected an integer, found string \"four\"",
                "execution.slurm.extra_flags[1]: expected a string, found number 3",
                "execution.slurm.partition: expected a partition name or comma-separated names (letters, digits, '_', '.', '-'),"
                        + " found \"gpu; rm -rf ~\""), e.problems());
        var notMap = assertThrows(InvalidSlurmSettingsException.class,
                () -> SlurmSettings.fromJson(new ObjectMapper().readTree("[1]"), "execution.slurm"));
        assertTrue(notMap.getMessage().startsWith("execution.slurm: expected a mapping"), notMap.getMessage());
    }

    /** The documented Apptainer example (docker/slurm/) is a valid block and yields the documented command. */
    @Test
    void apptainerExampleIsValid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path example = java.nio.file.Path.of("..", "docker", "slurm", "apptainer-example.yaml");
        SlurmSettings s = SlurmSettings.fromJson(new YAMLMapper().readTree(example.toFile()), "execution.slurm");
        assertEquals(List.of("apptainer", "exec", "--nv", "--bind", "/scratch", "/scratch/images/robustsweep-gpu.sif"), s.launcher());
        BatchScript b = new BatchScriptWriter(s, List.of("robustsweep", "train"), null)
                .write(tmp, "paper", 1, List.of(tmp.resolve("t")));
        String script = java.nio.file.Files.readString(b.script());
        assertTrue(script.contains("\nmodule load apptainer\n"), script);
        assertTrue(script.contains("#SBATCH --gres=gpu:1\n"), script);
        assertTrue(script.contains("worker=('apptainer' 'exec' '--nv' '--bind' '/scratch' '/scratch/images/robustsweep-gpu.sif'"
                + " 'robustsweep' 'train')"), script);
    }
}
