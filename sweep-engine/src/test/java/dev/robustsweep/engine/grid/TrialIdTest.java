package dev.robustsweep.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class TrialIdTest {
    private static TrialConfig trial() {
        TrialConfig t = new TrialConfig();
        t.task = new TaskSpec();
        t.task.name = "mrpc";
        t.method = "lora";
        t.learningRate = 3e-4;
        t.batchSize = 32;
        t.seed = 42;
        t.gridPoint = new LinkedHashMap<>();
        t.gridPoint.put("learning_rate", 3e-4);
        t.gridPoint.put("batch_size", 32);
        t.gridPoint.put("seed", 42);
        return t;
    }

    @Test
    void readableNameFollowsTheSchemaExample() {
        assertEquals("mrpc-lora-lr3e-04-bs32-s42", TrialId.readableName(trial()));
    }

    @Test
    void numbersPrintShortestExact() {
        assertEquals("3e-04", TrialId.number(3e-4));
        assertEquals("2.5e-04", TrialId.number(2.5e-4));
        assertEquals("0.1", TrialId.number(0.1));
        assertEquals("16", TrialId.number(16.0));
        assertEquals("1e-05", TrialId.number(1e-5));
    }

    @Test
    void whereAndHowATrialRunsIsNotPartOfItsIdentity() {
        TrialConfig a = trial();
        TrialConfig b = trial();
        b.sweep = "other";
        b.device = "gpu";
        b.threads = 8;
        b.dataDir = "/elsewhere/data";
        b.trialId = "whatever";
        assertEquals(TrialId.of(a), TrialId.of(b));
        b.lora.r = 16;
        assertNotEquals(TrialId.of(a), TrialId.of(b));
    }

    @Test
    void canonicalJsonIsSortedAndLeavesOutWhereItRuns() {
        TrialConfig t = trial();
        t.sweep = "x";
        t.dataDir = "/data";
        String json = TrialId.canonicalJson(t);
        for (String k : TrialId.EXCLUDED) assertEquals(-1, json.indexOf("\"" + k + "\""), k + " in " + json);
        int adalora = json.indexOf("\"adalora\""), lr = json.indexOf("\"learning_rate\""), seed = json.indexOf("\"seed\"");
        org.junit.jupiter.api.Assertions.assertTrue(adalora >= 0 && adalora < lr && lr < seed, json);
        org.junit.jupiter.api.Assertions.assertTrue(json.contains("\"grid_point\":{\"batch_size\":32,\"learning_rate\":3.0E-4,\"seed\":42}"), json);
    }
}
