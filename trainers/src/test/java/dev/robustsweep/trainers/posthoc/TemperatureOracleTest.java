package dev.robustsweep.trainers.posthoc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.oracle.PythonTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch oracle of temperature scaling: torch's LBFGS on the held-out NLL (Guo et al.'s reference
 * recipe, oracle/posthoc/temperature.py) finds the same T as the golden-section search here, and
 * log_softmax(z / T) of evaluation logits matches {@link TemperatureScaling#apply}.
 */
class TemperatureOracleTest {
    @TempDir Path dir;

    @Test
    void torchFitsTheSameTemperatureAndPredictive() throws Exception {
        PythonTorch.require();
        for (int k : new int[] {2, 3}) {
            Predictions held = TemperatureScalingTest.synthetic(3000, k, 1.8, 21 + k);
            Predictions eval = TemperatureScalingTest.synthetic(50, k, 1.0, 99 + k);
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("k", k);
            in.put("heldout", held.logProbs());
            in.put("gold", held.gold());
            in.put("eval", eval.logProbs());
            Path file = dir.resolve("in-" + k + ".json");
            new ObjectMapper().writeValue(file.toFile(), in);
            Path script = Path.of("src", "test", "resources", "oracle", "posthoc", "temperature.py").toAbsolutePath();
            JsonNode out = new ObjectMapper().readTree(PythonTorch.run(script, List.of(file.toString()), dir, 120));
            double t = TemperatureScaling.fit(held);
            assertEquals(out.get("temperature").asDouble(), t, 1e-5 * t, "k=" + k);
            Predictions scaled = TemperatureScaling.apply(eval, t);
            JsonNode ref = out.get("eval_log_probs");
            for (int i = 0; i < scaled.logProbs().length; i++) assertEquals(ref.get(i).asDouble(), scaled.logProbs()[i], 1e-4);
        }
    }
}
