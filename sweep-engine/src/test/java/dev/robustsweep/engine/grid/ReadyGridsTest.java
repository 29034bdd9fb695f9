package dev.robustsweep.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grids shipped in grids/ pass every check and expand to the paper's sizes and settings. */
class ReadyGridsTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    @TempDir Path tmp;

    private static Map<String, Long> perTaskAndMethod(List<TrialConfig> trials) {
        return trials.stream().collect(Collectors.groupingBy(t -> t.task.name + "/" + t.displayMethod(), Collectors.counting()));
    }

    @Test
    void quickstartIsMiniLmOnRteWithAllFiveMethodsAndTheirOwnLearningRates() {
        ValidatedGrid v = GridValidator.check(GridFile.read(REPO.resolve("grids/quickstart.yaml"), Map.of()));
        assertEquals(20, v.trials().size());
        assertEquals(List.of("full_ft", "lora", "dora", "adalora", "monteclora"), v.grid().methods().stream().map(MethodVariant::name).toList());
        for (TrialConfig t : v.trials()) {
            assertEquals("minilm-l6", t.model);
            assertEquals("rte", t.task.name);
            assertEquals(REPO.resolve("data").toString(), t.dataDir);
            assertEquals("mean", t.pooling);
            assertEquals(256, t.maxTrainSamples);
            assertEquals(null, t.maxEvalSamples, "the whole dev split is scored");
            // full fine-tuning at its own (smaller) learning rates, the adapters at LoRA-family rates
            assertTrue((t.method.equals("full_ft") ? List.of(1e-4, 5e-5) : List.of(4e-3, 2e-3)).contains(t.learningRate), t.trialId);
        }
        assertTrue(v.resources().data().values().stream().allMatch(s -> s.train() == 2490 && s.dev() == 277), v.resources().data().toString());
    }

    @Test
    void paperGridIsTable3() throws Exception {
        Path roberta = TinyModelFolder.write(tmp.resolve("roberta"), "roberta", 3);
        // roberta-base has 514 positions (512 tokens); the tiny stand-in's 130 would (rightly) refuse max_seq_length 256
        Path config = roberta.resolve("config.json");
        Files.writeString(config, Files.readString(config).replaceAll("\"max_position_embeddings\"\\s*:\\s*130", "\"max_position_embeddings\" : 514"));
        // the repository's data plus a WiC file in the SuperGLUE layout (WiC is not shipped)
        Path data = tmp.resolve("glue-data");
        copyTree(REPO.resolve("data"), data);
        Files.createDirectories(data.resolve("superglue/WiC"));
        String row = "{\"word\": \"bank\", \"sentence1\": \"The bank was closed.\", \"sentence2\": \"We sat on the bank.\", \"label\": false}\n";
        Files.writeString(data.resolve("superglue/WiC/train.jsonl"), row.repeat(10));
        Files.writeString(data.resolve("superglue/WiC/val.jsonl"), row.repeat(4));
        Path grid = REPO.resolve("grids/paper-roberta-glue.yaml");
        Map<String, String> env = new HashMap<>(Map.of("ROBERTA_BASE", roberta.toString(), "GLUE_DATA", data.toString()));
        ValidatedGrid v = GridValidator.check(GridFile.read(grid, env));
        assertEquals(5 * 5 * 9, v.trials().size());
        perTaskAndMethod(v.trials()).forEach((k, n) -> assertEquals(9L, n, k));
        for (TrialConfig t : v.trials()) {
            assertEquals(20, t.epochs);
            assertEquals(256, t.maxSeqLength);
            assertEquals(8, t.lora.r);
            assertEquals(16.0, t.lora.loraAlpha);
            assertEquals("linear", t.lrSchedulerType);
            assertTrue(List.of(3e-4, 5e-5, 1e-5).contains(t.learningRate));
            assertTrue(List.of(8, 32, 64).contains(t.batchSize));
            assertEquals(roberta.toString(), t.model);
        }
        // without the variables, the check names what is missing: the model folder and WiC's files
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(grid, Map.of())));
        assertTrue(e.getMessage().contains("paper-roberta-glue.yaml:15:8: model: model does not load: " + REPO.resolve("models/roberta-base")), e.getMessage());
        assertTrue(e.getMessage().contains("tasks[3]: task 'wic': data not readable: " + REPO.resolve("data/superglue/WiC/train.jsonl")), e.getMessage());
        // GPUs from the environment
        env.put("ROBUSTSWEEP_DEVICES", "0,1");
        assertEquals(List.of("0", "1"), GridValidator.check(GridFile.read(grid, env)).grid().execution().devices());
    }

    @Test
    void ablationGridVariesOneMonteCLoraSettingPerVariant() {
        ValidatedGrid v = GridValidator.check(GridFile.read(REPO.resolve("grids/ablation-monteclora.yaml"), Map.of()));
        assertEquals(16 * 2 * 6, v.trials().size());
        Map<String, TrialConfig> first = v.trials().stream().collect(Collectors.toMap(TrialConfig::displayMethod, t -> t, (a, b) -> a));
        assertEquals(16, first.get("monteclora-n16").monteclora.mixtures);
        assertEquals(1e-4, first.get("monteclora-eps1e-4").monteclora.sampleScaler);
        assertEquals(1e-6, first.get("monteclora-eta1e-6").monteclora.klWeight);
        assertEquals(false, first.get("monteclora-no-coop").monteclora.cooperativeLoss);
        assertEquals("random", first.get("monteclora-random-dirichlet").monteclora.dirichletInit);
        assertEquals("sparse", first.get("monteclora-sparse").monteclora.mixture);
        assertEquals("posthoc", first.get("monteclora-posthoc").monteclora.schedule);
        assertEquals(List.of("all"), first.get("monteclora-all").lora.targetModules);
        TrialConfig defaults = first.get("monteclora");
        assertEquals(4, defaults.monteclora.mixtures);
        assertEquals(5e-3, defaults.monteclora.sampleScaler);
        assertEquals(1e-5, defaults.monteclora.klWeight);
        // the paper's budget unless the ABLATION_* knobs shrink it (a reduced-scale run of the same trials)
        for (TrialConfig t : v.trials()) {
            assertEquals(10, t.epochs);
            assertEquals(256, t.maxSeqLength);
            assertEquals(null, t.maxTrainSamples);
            assertEquals(null, t.maxEvalSamples);
        }
        ValidatedGrid small = GridValidator.check(GridFile.read(REPO.resolve("grids/ablation-monteclora.yaml"), Map.of(
                "ABLATION_EPOCHS", "2", "ABLATION_MAX_SEQ_LENGTH", "48", "ABLATION_MAX_TRAIN", "32", "ABLATION_MAX_EVAL", "48")));
        assertEquals(16 * 2 * 6, small.trials().size());
        for (TrialConfig t : small.trials()) {
            assertEquals(List.of(2, 48, 32, 48), List.of(t.epochs, t.maxSeqLength, t.maxTrainSamples, t.maxEvalSamples));
        }
    }

    @Test
    void calibrationQuickstartRunsThePosthocBaselinesOnMiniLm() {
        ValidatedGrid v = GridValidator.check(GridFile.read(REPO.resolve("grids/quickstart-calibration.yaml"), Map.of()));
        assertEquals(8 * 4, v.trials().size());
        assertEquals(List.of("lora", "monteclora", "map", "mc_dropout", "checkpoint_ensemble", "temperature", "llla", "laplace_lora"),
                v.grid().methods().stream().map(MethodVariant::name).toList());
        for (TrialConfig t : v.trials()) {
            assertEquals("minilm-l6", t.model);
            assertEquals(5, t.posthoc.mcSamples);
            assertEquals(2, t.posthoc.ensembleCheckpoints);
            assertTrue(t.epochs >= t.posthoc.ensembleCheckpoints, "the ensemble needs that many epochs");
        }
    }

    @Test
    void bayesianPosthocGridIsTable7OnTheTable3Grid() throws Exception {
        Path roberta = TinyModelFolder.write(tmp.resolve("roberta"), "roberta", 3);
        // roberta-base's 514 positions in the tiny stand-in, as in paperGridIsTable3
        Path config = roberta.resolve("config.json");
        Files.writeString(config, Files.readString(config).replaceAll("\"max_position_embeddings\"\\s*:\\s*130", "\"max_position_embeddings\" : 514"));
        Path data = tmp.resolve("glue-data");
        copyTree(REPO.resolve("data"), data);
        Files.createDirectories(data.resolve("superglue/WiC"));
        String row = "{\"word\": \"bank\", \"sentence1\": \"The bank was closed.\", \"sentence2\": \"We sat on the bank.\", \"label\": false}\n";
        Files.writeString(data.resolve("superglue/WiC/train.jsonl"), row.repeat(10));
        Files.writeString(data.resolve("superglue/WiC/val.jsonl"), row.repeat(4));
        ValidatedGrid v = GridValidator.check(GridFile.read(REPO.resolve("grids/paper-bayesian-posthoc.yaml"),
                Map.of("ROBERTA_BASE", roberta.toString(), "GLUE_DATA", data.toString())));
        List<String> methods = v.grid().methods().stream().map(MethodVariant::name).toList();
        assertEquals(List.of("lora", "monteclora", "map", "mc_dropout", "checkpoint_ensemble", "temperature", "llla", "laplace_lora"), methods);
        assertEquals(5 * methods.size() * 9, v.trials().size());
        perTaskAndMethod(v.trials()).forEach((k, n) -> assertEquals(9L, n, k));
        for (TrialConfig t : v.trials()) {
            assertEquals(20, t.epochs);
            assertEquals(8, t.lora.r);
            assertEquals(10, t.posthoc.mcSamples);
            assertTrue(List.of(3e-4, 5e-5, 1e-5).contains(t.learningRate));
            assertTrue(List.of(8, 32, 64).contains(t.batchSize));
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
