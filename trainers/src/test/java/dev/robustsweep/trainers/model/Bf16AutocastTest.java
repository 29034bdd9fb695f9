package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.oracle.PythonTorch;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bf16 autocast of linears and matmuls: torch.autocast's values and gradients, float32 in and out. */
class Bf16AutocastTest {
    @TempDir Path dir;

    static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("x", new long[] {2, 3, 16});
        SHAPES.put("w", new long[] {8, 16});
        SHAPES.put("b", new long[] {8});
        SHAPES.put("a", new long[] {2, 3, 4, 5});
        SHAPES.put("c", new long[] {2, 1, 5, 6});
    }

    @Test
    void linearAndMatmulEqualTorchAutocastWithGradientsToFloat32Leaves() throws Exception {
        Map<String, float[]> data = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(5);
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) n *= d;
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) v[i] = (float) (2 * rng.nextDouble() - 1);
            data.put(e.getKey(), v);
        }
        Path in = dir.resolve("in.json");
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> nested = new LinkedHashMap<>();
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            for (String k : SHAPES.keySet()) {
                NDArray a = m.create(data.get(k), new Shape(SHAPES.get(k)));
                nested.put(k, toNested(a));
                a.setRequiresGradient(true);
                t.put(k, a);
            }
            json.writeValue(in.toFile(), nested);
            Path script = Path.of(Bf16AutocastTest.class.getResource("/oracle/bf16/autocast.py").toURI());
            JsonNode ref = json.readTree(PythonTorch.run(script, List.of(in.toString()), dir, 120));

            ForwardContext bf16 = new ForwardContext(true, true);
            float[] y;
            float[] p;
            float loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray yy = Linear.linear(t.get("x").tanh(), t.get("w"), t.get("b"), bf16);
                NDArray pp = Linear.matMul(t.get("a"), t.get("c"), bf16);
                assertEquals(DataType.FLOAT32, yy.getDataType());
                assertEquals(new Shape(2, 3, 4, 6), pp.getShape());
                NDArray l = yy.mul(yy).sum().add(pp.mul(pp).sum().mul(Scalars.of(pp, 0.5)));
                y = yy.toFloatArray();
                p = pp.toFloatArray();
                loss = l.getFloat();
                gc.backward(l);
            }
            // the products are bf16-rounded as torch's: equal up to one bf16 unit (at most 2^-7 of the value)
            // where the float32 accumulation order of the two libtorch versions (1.13, 2.7.1) differs
            double worstY = worst(y, ref.get("y"));
            double worstP = worst(p, ref.get("p"));
            System.out.printf("bf16 autocast vs torch: linear %.3g, matmul %.3g relative%n", worstY, worstP);
            assertTrue(worstY <= 1.0 / 128 && worstP <= 1.0 / 128, worstY + " " + worstP);
            assertEquals(ref.get("loss").asDouble(), loss, 1e-2 * Math.abs(loss));
            for (String k : SHAPES.keySet()) {
                NDArray g = t.get(k).getGradient();
                assertEquals(DataType.FLOAT32, g.getDataType(), k);
                double w = worst(g.toFloatArray(), ref.get("grad_" + k));
                System.out.printf("  d loss / d %s: %.3g relative (of the largest)%n", k, w);
                assertTrue(w < 2e-2, "gradient of " + k + ": " + w);
            }
            // and bf16 really ran: the float32 linear differs by more than float32 rounding
            NDArray y32 = Linear.linear(t.get("x").tanh(), t.get("w"), t.get("b"), ForwardContext.EVAL);
            double diff = worst(y32.toFloatArray(), y);
            assertTrue(diff > 1e-4, "bf16 output equals the float32 one: " + diff);
        }
    }

    @Test
    void withoutAGradientCollectorNothingIsRecordedAndResultsBelongToTheCaller() {
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(4, 3));
            w.setRequiresGradient(true);
            NDArray x = m.ones(new Shape(2, 3));
            ForwardContext bf16 = new ForwardContext(false, true);
            NDArray y = Linear.linear(x, w, null, bf16);
            assertFalse(y.hasGradient());
            assertEquals(new Shape(2, 4), y.getShape());
            // results belong to the caller's manager (closed with it), with and without a bias, and for matmul
            try (NDManager sub = m.newSubManager()) {
                NDArray xs = sub.ones(new Shape(2, 3));
                assertSame(sub, Linear.linear(xs, w, null, bf16).getManager());
                assertSame(sub, Linear.linear(xs, w, m.zeros(new Shape(4)), bf16).getManager());
                assertSame(sub, Linear.matMul(xs, w.transpose(), bf16).getManager());
            }
        }
    }

    /** The module archive is the same bytes on every call (no timestamps) and holds the code this class documents. */
    @Test
    void archiveIsDeterministicAndHoldsTheCode() throws Exception {
        byte[] a = Bf16Autocast.archive();
        assertTrue(java.util.Arrays.equals(a, Bf16Autocast.archive()));
        String code = null;
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(a))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().endsWith("code/__torch__.py")) code = new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        assertEquals(Bf16Autocast.CODE, code);
        // written to a file, torch.jit.load reads it too (the same format torch.jit.save writes)
        Path pt = dir.resolve("bf16_autocast.pt");
        Files.write(pt, a);
        Path check = dir.resolve("load.py");
        Files.writeString(check, "import sys, torch\nm = torch.jit.load(sys.argv[1])\n"
                + "x = torch.randn(2, 3); w = torch.randn(4, 3)\n"
                + "y = m(x, w)\nassert y.dtype == torch.float32\n"
                + "assert torch.equal(y, torch.nn.functional.linear(x.bfloat16(), w.bfloat16()).float())\nprint('ok')\n");
        assertEquals("ok", PythonTorch.run(check, List.of(pt.toString()), dir, 120).trim());
    }

    private static Object toNested(NDArray a) {
        float[] v = a.toFloatArray();
        long[] s = a.getShape().getShape();
        return nest(v, s, 0, 0);
    }

    private static Object nest(float[] v, long[] s, int dim, int offset) {
        int stride = 1;
        for (int d = dim + 1; d < s.length; d++) stride *= (int) s[d];
        List<Object> out = new java.util.ArrayList<>();
        for (int i = 0; i < s[dim]; i++) {
            if (dim == s.length - 1) out.add(v[offset + i]);
            else out.add(nest(v, s, dim + 1, offset + i * stride));
        }
        return out;
    }

    /** Largest |a - b| over the largest |b|. */
    private static double worst(float[] a, JsonNode b) {
        float[] f = new float[b.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) b.get(i).asDouble();
        return worst(a, f);
    }

    private static double worst(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double d = 0;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
            s = Math.max(s, Math.abs(b[i]));
        }
        return d / s;
    }
}
