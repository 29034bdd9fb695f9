package dev.robustsweep.trainers.adapters.monteclora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Digamma and its autograd derivative against scipy.special (digamma_reference.py / .csv). */
class DigammaTest {
    static List<double[]> reference() throws Exception {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                DigammaTest.class.getResourceAsStream("/adapters/digamma_reference.csv"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split(",");
                rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])});
            }
        }
        return rows;
    }

    @Test
    void matchesScipyToOneInABillionWithTrigammaAsGradient() throws Exception {
        List<double[]> ref = reference();
        assertTrue(ref.size() >= 20);
        double[] xs = ref.stream().mapToDouble(r -> r[0]).toArray();
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            NDArray x = manager.create(xs);
            assertEquals(DataType.FLOAT64, x.getDataType());
            x.setRequiresGradient(true);
            double[] psi;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = Digamma.of(x);
                psi = y.toDoubleArray();
                gc.backward(y.sum());
            }
            double[] trigamma = x.getGradient().toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                double[] r = ref.get(i);
                assertEquals(r[1], psi[i], 1e-9, "digamma(" + r[0] + ")");
                assertEquals(r[1], Digamma.of(r[0]), 1e-9, "digamma(" + r[0] + ") in double");
                assertEquals(r[2], trigamma[i], 1e-9 * Math.max(1, Math.abs(r[2])), "d/dx digamma(" + r[0] + ")");
            }
        }
    }
}
