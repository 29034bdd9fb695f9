package dev.robustsweep.trainers.adapters.adalora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdaLoRA's budget schedule and masking. */
class AdaLoraScheduleTest {
    /**
     * init 72 (12 x 6), target 48 (8 x 6), T = 100, tinit = 10, tfinal = 20, deltaT = 3. Expected budgets
     * computed with python from eq. 12 / PEFT's budget_schedule (python: int(24 * (1 - (s - 10) / 70) ** 3 + 48)).
     */
    @Test
    void budgetFollowsTheCubicSchedule() {
        BudgetSchedule s = new BudgetSchedule(72, 48, 10, 20, 100, 3);
        int[][] table = {
            {0, 72, 0}, {1, 72, 0}, {10, 72, 0}, {11, 70, 0}, {12, 70, 1}, {20, 63, 0}, {30, 56, 1},
            {45, 51, 1}, {60, 48, 1}, {79, 48, 0}, {80, 48, 0}, {81, 48, 1}, {100, 48, 1}};
        for (int[] row : table) {
            assertEquals(row[1], s.budget(row[0]), "budget at step " + row[0]);
            assertEquals(row[2] == 1, s.masks(row[0]), "masking at step " + row[0]);
        }
        assertEquals(80, s.finalStep());
    }

    @Test
    void defaultsAndValidation() {
        // PEFT AdaLoraConfig: tinit = tfinal = 0 unless set
        assertEquals(0, BudgetSchedule.resolveTinit(null, "peft", 50));
        assertEquals(0, BudgetSchedule.resolveTfinal(null, "peft", 50));
        assertEquals(7, BudgetSchedule.resolveTinit(7, "peft", 50));
        // the named option: 10% / 20% of T
        assertEquals(5, BudgetSchedule.resolveTinit(null, "fractions", 50));
        assertEquals(10, BudgetSchedule.resolveTfinal(null, "fractions", 50));
        assertEquals(0, BudgetSchedule.resolveTinit(null, "fractions", 3));
        assertEquals(7, BudgetSchedule.resolveTinit(7, "fractions", 3));
        for (String defaults : new String[] {"peft", "fractions"}) {
            for (int t = 1; t < 200; t++) {
                int tinit = BudgetSchedule.resolveTinit(null, defaults, t);
                int tfinal = BudgetSchedule.resolveTfinal(null, defaults, t);
                assertTrue(tinit < t - tfinal, defaults + " defaults valid for T = " + t);
            }
        }
        TrialConfig peft = new TrialConfig();
        assertEquals("peft", peft.adalora.phaseDefaults);
        assertEquals(12, peft.adalora.initR);
        assertEquals(8, peft.adalora.targetR);
        assertEquals(1, peft.adalora.deltaT);
        assertEquals(0.85, peft.adalora.beta1);
        assertEquals(0.85, peft.adalora.beta2);
        assertEquals(0.5, peft.adalora.orthRegWeight);
        peft.adalora.phaseDefaults = "tenth";
        assertTrue(peft.validate().stream().anyMatch(m -> m.startsWith("adalora.phase_defaults: expected peft or fractions")), peft.validate().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BudgetSchedule(72, 48, 50, 60, 100, 1));
        assertTrue(e.getMessage().contains("adalora.tinit") && e.getMessage().contains("tfinal 60"), e.getMessage());
    }

    /** Training on the tiny model: between tinit and T - tfinal the kept ranks equal the budget; after, target_r x layers. */
    @Test
    void maskingKeepsTheBudgetAndFixesTheFinalPattern() throws Exception {
        Engine engine = TinyTraining.engine(53);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("adalora");
            trial.adalora.tinit = 1;
            trial.adalora.tfinal = 3;
            int total = 9;
            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            AdaLoraMethod method = (AdaLoraMethod) Methods.create(trial, manager, total);
            method.apply(model);
            int layers = method.adapters().size();
            assertEquals(6, layers);
            EncoderInput in = TinyTraining.batch(manager, 3);
            NDArray labels = TinyTraining.labels(manager);
            boolean[][] finalPattern = null;
            for (int step = 1; step <= total; step++) {
                TinyTraining.sgdStep(model, method, in, labels, 0.05, step, total);
                int nonZero = 0;
                for (AdaLoraAdapter a : method.adapters()) for (float e : a.e().array().toFloatArray()) if (e != 0f) nonZero++;
                int expected = step <= 1 ? trial.adalora.initR * layers
                        : step >= total - 3 ? trial.adalora.targetR * layers
                        : method.schedule().budget(step);
                assertEquals(expected, nonZero, "non-zero E entries after step " + step);
                Map<String, Object> state = method.state();
                int ranks = ((Map<?, ?>) state.get("ranks")).values().stream().mapToInt(x -> (Integer) x).sum();
                assertEquals(expected, ranks, "rank pattern after step " + step);
                if (step == total - 3) finalPattern = pattern(method);
                if (step > total - 3) {
                    boolean[][] now = pattern(method);
                    for (int i = 0; i < layers; i++) assertEquals(java.util.Arrays.toString(finalPattern[i]), java.util.Arrays.toString(now[i]));
                }
            }
            assertEquals(trial.adalora.targetR * layers, method.state().get("budget"));
        }
    }

    private static boolean[][] pattern(AdaLoraMethod method) {
        boolean[][] out = new boolean[method.adapters().size()][];
        for (int i = 0; i < out.length; i++) {
            float[] e = method.adapters().get(i).e().array().toFloatArray();
            out[i] = new boolean[e.length];
            for (int j = 0; j < e.length; j++) out[i][j] = e[j] != 0f;
        }
        return out;
    }
}
