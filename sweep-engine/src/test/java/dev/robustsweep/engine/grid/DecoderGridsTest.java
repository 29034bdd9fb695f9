package dev.robustsweep.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.run.DurationEstimate;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.TinyDecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoder grids in grids/ pass every check, expand to their sizes, and decoder settings are checked like encoder ones. */
class DecoderGridsTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    @TempDir Path tmp;

    @Test
    void quickstartDecoderIsTinyLlamaWithAllSixMethods() {
        ValidatedGrid v = GridValidator.check(GridFile.read(REPO.resolve("grids/quickstart-decoder.yaml"), Map.of()));
        assertEquals(24, v.trials().size());
        assertEquals(List.of("full_ft", "adapter", "lora", "dora", "adalora", "monteclora"), v.grid().methods().stream().map(MethodVariant::name).toList());
        for (TrialConfig t : v.trials()) {
            assertEquals(TinyLlama.ID, t.model);
            assertEquals("commonsense", t.task.name);
            assertEquals(4, t.decoder.microBatchSize);
            assertEquals(List.of("q_proj", "k_proj", "v_proj", "up_proj", "down_proj"), t.lora.targetModules);
        }
        GridResources.TaskSize size = v.resources().data().values().iterator().next();
        assertEquals(32, size.train());
        assertEquals(6 * 100, size.dev());
        assertTrue(v.resources().decoders().containsKey(TinyLlama.ID));
        double seconds = DurationEstimate.sweepSeconds(v, v.grid().execution());
        // measured end to end on the 2-core machine (issue 12): 2m04s; the dry run must be within 1.5x of it
        assertTrue(seconds > 124 / 1.5 && seconds < 124 * 1.5, "estimate " + seconds + " s");
    }

    @Test
    void paperGridIsTable3ForLlama() throws Exception {
        Path llama = TinyDecoderFolder.write(tmp.resolve("llama"), TinyLlama.SPEC, 5);
        Path data = tmp.resolve("cs-data");
        Files.createDirectories(data);
        // a stand-in for commonsense_15k.json and the six test files
        Files.writeString(data.resolve("commonsense_15k.json"), Files.readString(REPO.resolve("data/commonsense/boolq/train.json")));
        for (String folder : List.of("piqa", "social_i_qa", "winogrande", "ARC-Easy", "ARC-Challenge", "openbookqa")) {
            Files.createDirectories(data.resolve("commonsense/" + folder));
            Files.copy(REPO.resolve("data/commonsense/" + folder + "/test.json"), data.resolve("commonsense/" + folder + "/test.json"));
        }
        Path grid = REPO.resolve("grids/paper-llama-commonsense.yaml");
        Map<String, String> env = new HashMap<>(Map.of("LLAMA_7B", llama.toString(), "CS_DATA", data.toString()));
        ValidatedGrid v = GridValidator.check(GridFile.read(grid, env));
        assertEquals(4 * 6, v.trials().size());
        assertEquals(List.of("adapter", "lora", "dora", "monteclora"), v.grid().methods().stream().map(MethodVariant::name).toList());
        Map<String, Long> per = v.trials().stream().collect(Collectors.groupingBy(TrialConfig::displayMethod, Collectors.counting()));
        per.forEach((k, n) -> assertEquals(6L, n, k));
        for (TrialConfig t : v.trials()) {
            assertEquals(3, t.epochs);
            assertEquals(256, t.maxSeqLength);
            assertEquals(32, t.lora.r);
            assertEquals(64.0, t.lora.loraAlpha);
            assertEquals(List.of("q_proj", "k_proj", "v_proj", "up_proj", "down_proj"), t.lora.targetModules);
            assertEquals(4, t.decoder.numBeams);
            assertEquals(32, t.decoder.maxNewTokens);
            assertTrue(t.decoder.trainOnInputs);
            assertEquals("llm-adapters", t.decoder.promptTemplate);
            assertTrue(List.of(3e-4, 3e-5).contains(t.learningRate));
            assertTrue(List.of(8, 16, 32).contains(t.batchSize));
        }
        // without the variables: the missing model folder and training file are named
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(grid, Map.of())));
        assertTrue(e.getMessage().contains("model: model does not load: " + REPO.resolve("models/llama-7b-hf")), e.getMessage());
        assertTrue(e.getMessage().contains("task 'commonsense': data not readable: " + REPO.resolve("data/commonsense_15k.json")), e.getMessage());
    }

    @Test
    void decoderSettingsAndPairingsAreCheckedWithTheirLocation() throws Exception {
        Path f = tmp.resolve("bad-decoder.yaml");
        Files.writeString(f, """
                name: bad-decoder
                model: tiny-llama
                data_dir: %s
                tasks: [cs-arc-e, mrpc]
                methods: [lora, adapter, mc_dropout]
                grid: {learning_rate: [3e-4], micro_batch_size: [3]}
                settings:
                  batch_size: 8
                  decoder: {eval_mode: vote, num_beams: 0}
                  adapter: {non_linearity: swish}
                """.formatted(REPO.resolve("data")));
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(f, Map.of())));
        String m = e.getMessage();
        assertTrue(m.contains("bad-decoder.yaml:4:19: tasks[1]: task 'mrpc' is a classification task for encoders, but model 'tiny-llama' is a decoder"), m);
        assertTrue(m.contains("bad-decoder.yaml:6:50: grid.micro_batch_size[0]: must divide batch_size 8"), m);
        assertTrue(m.contains("bad-decoder.yaml:9:24: settings.decoder.eval_mode: expected one of [generate, likelihood], got 'vote'"), m);
        assertTrue(m.contains("bad-decoder.yaml:9:41: settings.decoder.num_beams: must be >= 1, got 0"), m);
        assertTrue(m.contains("bad-decoder.yaml:10:28: settings.adapter.non_linearity: expected one of"), m);
        assertTrue(m.contains("bad-decoder.yaml:5:26: methods[2]: method 'mc_dropout': the Bayesian post-hoc baselines calibrate classification heads"), m);
        assertTrue(m.contains("6 problems in grid file"), m);
    }

    @Test
    void encoderWithCommonsenseTaskIsRefused() throws Exception {
        Path f = tmp.resolve("enc-cs.yaml");
        Files.writeString(f, "name: enc-cs\nmodel: minilm-l6\ndata_dir: " + REPO.resolve("data") + "\ntasks: [cs-arc-e]\nmethods: [lora]\n");
        GridException e = assertThrows(GridException.class, () -> GridValidator.check(GridFile.read(f, Map.of())));
        assertTrue(e.getMessage().contains("enc-cs.yaml:4:9: tasks[0]: task 'cs-arc-e' is a commonsense task for decoder models, but model 'minilm-l6' is an encoder"), e.getMessage());
    }
}
