package dev.robustsweep.trainers.posthoc.laplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.trainers.train.TrainingListener;
import dev.robustsweep.trainers.train.TrialRunner;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** laplace_lora and llla as trials on the tiny model (2 layers, hidden 32, LoRA r 8 on q, k, v). */
class LaplaceLoraTrialTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModelFolder.write(dir.resolve("tiny"), "bert", 11);
    }

    static TrialConfig trial(String method) {
        return dev.robustsweep.trainers.train.TinyTrial.of(model, method, 3e-3);
    }

    private static Map<?, ?> posthoc(Map<String, Object> r) {
        assertEquals("completed", r.get("status"), String.valueOf(r.get("reason")));
        return (Map<?, ?>) r.get("posthoc");
    }

    @Test
    void aVeryPrecisePriorGivesBackTheMapPredictive() {
        TrialConfig t = trial("laplace_lora");
        t.posthoc.laplacePriorPrecision = 1e9;
        Map<String, Object> r = TrialRunner.run(t, new TrainingListener() {}).asMap();
        Map<?, ?> plain = (Map<?, ?>) posthoc(r).get("plain_metrics");
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        // V -> 0: the probit predictive is softmax(f_MAP), the plain evaluation's
        assertEquals((Double) plain.get("nll"), (Double) metrics.get("nll"), 1e-4);
        assertEquals(plain.get("accuracy"), metrics.get("accuracy"));
        assertEquals("fixed", posthoc(r).get("prior_precision_source"));
        assertFalse(posthoc(r).containsKey("prior_precision_at_bound"), "no search, no bound");
    }

    @Test
    void marginalLikelihoodChoosesThePriorAndLlllaCoversTheLastLayerOnly() {
        Map<String, Object> all = TrialRunner.run(trial("laplace_lora"), new TrainingListener() {}).asMap();
        Map<String, Object> last = TrialRunner.run(trial("llla"), new TrainingListener() {}).asMap();
        Map<?, ?> pa = posthoc(all);
        Map<?, ?> pl = posthoc(last);
        // A [8, 32] and B [32, 8] on q, k, v: 3 x 512 per layer; 2 layers vs the last one
        assertEquals(2L * 3 * 512, ((Number) pa.get("posterior_parameters")).longValue());
        assertEquals(3L * 512, ((Number) pl.get("posterior_parameters")).longValue());
        assertEquals(12, pa.get("kron_blocks"));
        double delta = (Double) pa.get("prior_precision");
        assertTrue(delta > Math.exp(-12) && delta < Math.exp(12), "interior optimum " + delta);
        assertEquals("marginal_likelihood", pa.get("prior_precision_source"));
        assertEquals("none", pa.get("prior_precision_at_bound"));
        assertEquals(List.of(Math.exp(-30), Math.exp(30)), pa.get("prior_precision_search_range"));
        // a Bayesian predictive widens the softmax: its NLL differs from the MAP's; scores stay valid
        Map<?, ?> metrics = (Map<?, ?>) all.get("metrics");
        double nll = (Double) metrics.get("nll");
        assertTrue(Double.isFinite(nll) && nll > 0);
        assertTrue((Double) pa.get("fit_s") > 0);
    }

    @Test
    void monteCarloPredictiveIsSeededAndCloseToProbit() {
        TrialConfig mc = trial("llla");
        mc.posthoc.laplacePredictive = "mc";
        mc.posthoc.laplaceSamples = 2000;
        Map<String, Object> a = TrialRunner.run(mc, new TrainingListener() {}).asMap();
        Map<String, Object> b = TrialRunner.run(mc, new TrainingListener() {}).asMap();
        assertEquals(a.get("metrics"), b.get("metrics"));
        Map<String, Object> probit = TrialRunner.run(trial("llla"), new TrainingListener() {}).asMap();
        double nllMc = (Double) ((Map<?, ?>) a.get("metrics")).get("nll");
        double nllProbit = (Double) ((Map<?, ?>) probit.get("metrics")).get("nll");
        assertEquals(nllProbit, nllMc, 0.05);
        assertEquals(2000, posthoc(a).get("laplace_samples"));
    }
}
