package dev.robustsweep.trainers.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir Path dir;

    @Test
    void roundTripsFloat32Tensors() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", new Tensor(new long[] {2, 3}, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6})));
        in.put("b", new Tensor(new long[] {1}, FloatBuffer.wrap(new float[] {-0.5f})));
        Path f = dir.resolve("m.safetensors");
        SafetensorsFile.write(f, in);
        Map<String, Tensor> out = SafetensorsFile.read(f);
        assertArrayEquals(new long[] {2, 3}, out.get("a").shape());
        float[] a = new float[6];
        out.get("a").data().duplicate().get(a);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a);
        assertEquals(-0.5f, out.get("b").data().get(0));
    }

    /** Hand-written file in the published layout: header length, JSON header, little-endian F16 and BF16 data. */
    @Test
    void readsHalfPrecisionAsPublishedBitPatterns() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 10).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        // IEEE binary16: 0x3C00 = 1.0, 0xC000 = -2.0, 0x0001 = 2^-24 (smallest subnormal)
        buf.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001);
        // bfloat16: 0x3F00 = 0.5, 0x4049 = 3.140625
        buf.putShort((short) 0x3F00).putShort((short) 0x4049);
        Path f = dir.resolve("half.safetensors");
        Files.write(f, buf.array());
        Map<String, Tensor> t = SafetensorsFile.read(f);
        assertEquals(1.0f, t.get("h").data().get(0));
        assertEquals(-2.0f, t.get("h").data().get(1));
        assertEquals((float) Math.pow(2, -24), t.get("h").data().get(2));
        assertEquals(0.5f, t.get("b").data().get(0));
        assertEquals(3.140625f, t.get("b").data().get(1));
    }

    @Test
    void truncatedTensorIsAnErrorNamingFileAndTensor() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("encoder.weight", new Tensor(new long[] {64, 64}, FloatBuffer.wrap(new float[64 * 64])));
        Path f = dir.resolve("model.safetensors");
        SafetensorsFile.write(f, in);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("encoder.weight") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
