package dev.robustsweep.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridValidatorTest {
    @TempDir static Path tmp;
    static Path model;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("tiny"));
        data = Fixtures.mrpcLikeData(tmp.resolve("data"), 40, 20);
    }

    private static ValidatedGrid check(String name, String body) throws Exception {
        return GridValidator.check(GridFile.read(Fixtures.grid(tmp, name, model, data, body)));
    }

    @Test
    void expandsTasksTimesMethodsTimesAxesWithVariantsAndSettings() throws Exception {
        ValidatedGrid v = check("g1", """
                methods:
                  lora: {}
                  monteclora-sparse: {method: monteclora, mixture: sparse, lora: {r: 4}}
                  full_ft:
                    grid: {learning_rate: [1e-5]}
                grid:
                  learning_rate: [3e-4, 5e-5]
                  batch_size: [8, 16, 32]
                settings:
                  epochs: 2
                  lora: {lora_alpha: 32}
                  kl_weight: 1e-4
                limits: {max_train_samples: 16}
                """);
        List<TrialConfig> trials = v.trials();
        // lora 2x3, monteclora-sparse 2x3, full_ft 1x3 (its own learning_rate axis replaces the global one)
        assertEquals(15, trials.size());
        TrialConfig first = trials.get(0);
        assertEquals("lora", first.method);
        assertEquals(3e-4, first.learningRate);
        assertEquals(8, first.batchSize);
        assertEquals(2, first.epochs);
        assertEquals(32.0, first.lora.loraAlpha);
        assertEquals(16, first.maxTrainSamples);
        assertEquals(Map.of("learning_rate", 3e-4, "batch_size", 8), first.gridPoint);
        assertEquals(16, trials.get(1).batchSize, "last axis varies fastest");
        TrialConfig sparse = trials.get(6);
        assertEquals("monteclora", sparse.method);
        assertEquals("monteclora-sparse", sparse.methodName);
        assertEquals("sparse", sparse.monteclora.mixture);
        assertEquals(1e-4, sparse.monteclora.klWeight);
        assertEquals(4, sparse.lora.r);
        assertEquals(32.0, sparse.lora.loraAlpha, "a variant's block merges with the settings' block");
        TrialConfig ft = trials.get(12);
        assertEquals("full_ft", ft.method);
        assertEquals(1e-5, ft.learningRate);
        assertEquals(model.toString(), ft.model);
        assertEquals(data.toString(), ft.dataDir);
        Set<String> ids = new HashSet<>();
        trials.forEach(t -> ids.add(t.trialId));
        assertEquals(15, ids.size());
        assertTrue(first.trialId.matches("mrpc-lora-lr3e-04-bs8-[0-9a-f]{8}"), first.trialId);
    }

    @Test
    void idsAreStableAcrossReadsAndChangeWithContent() throws Exception {
        String body = "methods: [lora, dora]\ngrid: {learning_rate: [3e-4, 5e-5], seed: [1, 2]}\n";
        List<String> a = check("stable", body).trials().stream().map(t -> t.trialId).toList();
        List<String> b = check("stable", body).trials().stream().map(t -> t.trialId).toList();
        assertEquals(a, b);
        // formatting, key order and the sweep name do not change a trial's identity...
        List<String> c = check("other-name", "grid:\n  seed: [1, 2]\n  learning_rate: [0.0003, 0.00005]\nmethods:\n  - lora\n  - dora\n")
                .trials().stream().map(t -> t.trialId.substring(t.trialId.length() - 8)).sorted().toList();
        assertEquals(a.stream().map(id -> id.substring(id.length() - 8)).sorted().toList(), c);
        // ...a setting does
        List<String> d = check("stable", body + "settings: {epochs: 4}\n").trials().stream().map(t -> t.trialId).toList();
        assertNotEquals(a.get(0), d.get(0));
    }

    @Test
    void environmentVariablesWithDefaults() throws Exception {
        Path f = tmp.resolve("env.yaml");
        Files.writeString(f, "name: env\nmodel: ${TINY_MODEL:-/nonexistent}\ndata_dir: ${DATA}\ntasks: [mrpc]\nmethods: [lora]\nsettings: {epochs: '${EPOCHS:-3}'}\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(f, Map.of("TINY_MODEL", model.toString(), "DATA", data.toString())));
        assertEquals(model.toString(), v.trials().get(0).model);
        assertEquals(3, v.trials().get(0).epochs);
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(f, Map.of())));
        assertTrue(e.getMessage().contains("env.yaml:3:11: data_dir: environment variable DATA is not set"), e.getMessage());
    }

    @Test
    void aValueEmptyAfterSubstitutionIsTheDefault() throws Exception {
        Path f = tmp.resolve("empty.yaml");
        Files.writeString(f, "name: empty\nmodel: " + model + "\ndata_dir: " + data + "\ntasks: [mrpc]\nmethods: [lora]\n"
                + "limits: {max_train_samples: '${MAX_TRAIN:-}', max_eval_samples: '${MAX_EVAL:-}'}\n");
        TrialConfig unset = GridValidator.check(GridFile.read(f, Map.of())).trials().get(0);
        assertNull(unset.maxTrainSamples);
        assertNull(unset.maxEvalSamples);
        TrialConfig set = GridValidator.check(GridFile.read(f, Map.of("MAX_TRAIN", "32", "MAX_EVAL", ""))).trials().get(0);
        assertEquals(32, set.maxTrainSamples);
        assertNull(set.maxEvalSamples);
    }

    @Test
    void posthocBaselinesAreMethodsAndTheirSettingsAxes() throws Exception {
        ValidatedGrid v = check("posthoc", """
                methods:
                  mc_dropout: {grid: {mc_samples: [1, 20]}}
                  temperature: {holdout_fraction: 0.2}
                  map: {posthoc: {map_weight_decay: 0.1}}
                  checkpoint_ensemble: {}
                grid: {learning_rate: [3e-4]}
                settings: {epochs: 3}
                """);
        assertEquals(5, v.trials().size());
        assertEquals(List.of(1, 20), v.trials().subList(0, 2).stream().map(t -> t.posthoc.mcSamples).toList());
        assertEquals(0.2, v.trials().get(2).posthoc.holdoutFraction);
        assertEquals(0.1, v.trials().get(3).posthoc.mapWeightDecay);
        assertEquals("checkpoint_ensemble", v.trials().get(4).method);
        GridException e = assertThrows(GridException.class, () -> check("posthoc-bad", """
                methods: [mc_dropout]
                settings: {mc_samples: 0}
                """));
        assertTrue(e.getMessage().contains("mc_samples: must be >= 1"), e.getMessage());
    }

    @Test
    void reportsEveryProblemTogetherWithLineAndKey() throws Exception {
        GridException e = assertThrows(GridException.class, () -> check("many", """
                methods: [lora, lorra]
                grid:
                  learning_rate: [3e-4, -1e-5]
                  batch_size: []
                settings:
                  epoch: 3
                """));
        String m = e.getMessage();
        assertTrue(m.contains("many.yaml:5:17: methods[1]: unknown method 'lorra'"), m);
        assertTrue(m.contains("(did you mean 'lora'?)"), m);
        assertTrue(m.contains("many.yaml:7:25: grid.learning_rate[1]: must be a positive number, got -1.0E-5"), m);
        assertTrue(m.contains("many.yaml:8:15: grid.batch_size: empty axis"), m);
        assertTrue(m.contains("many.yaml:10:3: settings.epoch: unknown trial parameter"), m);
        assertTrue(m.contains("did you mean 'epochs'?"), m);
        assertEquals(4, e.errors().size(), m);
    }
}
