package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
 * Reads F32, F16 and BF16 (converted to float32), one tensor at a time if asked; writes F32 or BF16.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsFile() {}

    /** One tensor's place in a safetensors file: dtype, shape and absolute byte range [begin, end). */
    public record Entry(Path file, String name, String dtype, long[] shape, long begin, long end) {
        public long size() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** Reads every tensor; errors name the file and the tensor. */
    public static Map<String, Tensor> read(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : header(file).entrySet()) out.put(e.getKey(), load(e.getValue()));
        return out;
    }

    /**
     * The header only: every tensor's dtype, shape and byte range, checked against the file size.
     * Tensors are then read one at a time with {@link #load(Entry)} (a 7B model does not fit the heap at once).
     */
    public static Map<String, Entry> header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw new ModelLoadException(file + ": not a safetensors file (shorter than its 8-byte header length)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || 8 + headerLen > fileSize || headerLen > Integer.MAX_VALUE) {
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
            Map<String, Entry> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                out.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataStart, fileSize));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(file + ": file not found");
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Entry entry(Path file, String name, JsonNode meta, long dataStart, long fileSize) {
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
        int width = width(file, name, dtype);
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
        if (count > Integer.MAX_VALUE / 4) {
            throw new ModelLoadException(file + ": tensor '" + name + "' has " + count + " elements, more than one float32 buffer holds");
        }
        return new Entry(file, name, dtype, shape, begin, end);
    }

    private static int width(Path file, String name, String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new ModelLoadException(file + ": tensor '" + name + "': dtype " + dtype + " is not supported (F32, F16, BF16)");
        };
    }

    /** Reads one tensor (mapping only its own bytes), converted to float32. */
    public static Tensor load(Entry e) {
        try (FileChannel ch = FileChannel.open(e.file(), StandardOpenOption.READ)) {
            ByteBuffer slice = ch.map(FileChannel.MapMode.READ_ONLY, e.begin(), e.end() - e.begin()).order(ByteOrder.LITTLE_ENDIAN);
            int count = (int) e.size();
            FloatBuffer data;
            if (e.dtype().equals("F32")) {
                data = slice.asFloatBuffer();
            } else {
                ShortBuffer halves = slice.asShortBuffer();
                float[] f = new float[count];
                boolean bf16 = e.dtype().equals("BF16");
                for (int i = 0; i < count; i++) {
                    short h = halves.get(i);
                    f[i] = bf16 ? Float.intBitsToFloat((h & 0xffff) << 16) : halfToFloat(h);
                }
                data = FloatBuffer.wrap(f);
            }
            return new Tensor(e.shape(), data);
        } catch (IOException ex) {
            throw new ModelLoadException(e.file() + ": cannot read tensor '" + e.name() + "': " + ex.getMessage(), ex);
        }
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
        write(file, tensors, "F32");
    }

    /** float32 -> bfloat16 bits, rounding to nearest even (as torch's .to(torch.bfloat16)). */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) 0x7fc0;
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Writes tensors (in map order) as F32 or BF16 (rounded to nearest even), atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, String dtype) throws IOException {
        if (!dtype.equals("F32") && !dtype.equals("BF16")) throw new IllegalArgumentException("write: dtype F32 or BF16, got " + dtype);
        int width = dtype.equals("F32") ? 4 : 2;
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode meta = header.putObject(e.getKey());
            meta.put("dtype", dtype);
            var shape = meta.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            long bytes = e.getValue().size() * width;
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
                ByteBuffer buf = ByteBuffer.allocate((int) t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
                if (width == 4) {
                    buf.asFloatBuffer().put(t.data().duplicate().rewind());
                } else {
                    FloatBuffer src = t.data().duplicate().rewind();
                    ShortBuffer dst = buf.asShortBuffer();
                    while (src.hasRemaining()) dst.put(floatToBf16(src.get()));
                }
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
