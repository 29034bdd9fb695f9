package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}}, then raw little-endian tensor bytes.
 * Reads F32, F16 and BF16 (converted to float32); writes F32.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsFile() {}

    /** Reads every tensor; errors name the file and the tensor. */
    public static Map<String, Tensor> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw new ModelLoadException(file + ": not a safetensors file (shorter than its 8-byte header length)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || 8 + headerLen > fileSize) {
                throw new ModelLoadException(file + ": header length " + headerLen + " does not fit in a file of " + fileSize + " bytes (truncated?)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            ch.read(headerBuf, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ModelLoadException(file + ": malformed safetensors header: " + e.getMessage());
            }
            long dataStart = 8 + headerLen;
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
            Map<String, Tensor> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                out.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), mapped, dataStart, fileSize));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(file + ": file not found");
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Tensor tensor(Path file, String name, JsonNode meta, ByteBuffer mapped, long dataStart, long fileSize) {
        String dtype = meta.path("dtype").asText();
        JsonNode shapeNode = meta.path("shape");
        JsonNode offsets = meta.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new ModelLoadException(file + ": tensor '" + name + "': header entry needs shape and data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count *= shape[i];
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new ModelLoadException(file + ": tensor '" + name + "': dtype " + dtype + " is not supported (F32, F16, BF16)");
        };
        long begin = dataStart + offsets.get(0).asLong();
        long end = dataStart + offsets.get(1).asLong();
        if (end - begin != count * width) {
            throw new ModelLoadException(file + ": tensor '" + name + "': data_offsets span " + (end - begin)
                    + " bytes but shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + count * width);
        }
        if (end > fileSize) {
            throw new ModelLoadException(file + ": tensor '" + name + "' ends at byte " + end + " but the file has "
                    + fileSize + " bytes (truncated file)");
        }
        ByteBuffer slice = mapped.duplicate().position((int) begin).limit((int) end).slice().order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer data;
        if (width == 4) {
            data = slice.asFloatBuffer();
        } else {
            ShortBuffer halves = slice.asShortBuffer();
            float[] f = new float[(int) count];
            for (int i = 0; i < f.length; i++) {
                short h = halves.get(i);
                f[i] = dtype.equals("BF16") ? Float.intBitsToFloat((h & 0xffff) << 16) : halfToFloat(h);
            }
            data = FloatBuffer.wrap(f);
        }
        return new Tensor(shape, data);
    }

    /** IEEE 754 binary16 -> float32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float magnitude;
        if (exp == 0) magnitude = mant * 0x1p-24f; // subnormal: mant * 2^-24
        else if (exp == 31) magnitude = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        else magnitude = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        return sign == 1 ? -magnitude : magnitude;
    }

    /** Writes float32 tensors (in map order) as a safetensors file, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode meta = header.putObject(e.getKey());
            meta.put("dtype", "F32");
            var shape = meta.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            long bytes = e.getValue().size() * 4;
            meta.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        int pad = (8 - headerBytes.length % 8) % 8; // keep tensor data 8-byte aligned
        byte[] padded = new byte[headerBytes.length + pad];
        System.arraycopy(headerBytes, 0, padded, 0, headerBytes.length);
        for (int i = headerBytes.length; i < padded.length; i++) padded[i] = ' ';
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).flip());
            ch.write(ByteBuffer.wrap(padded));
            for (Tensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate((int) t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data().duplicate().rewind());
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
