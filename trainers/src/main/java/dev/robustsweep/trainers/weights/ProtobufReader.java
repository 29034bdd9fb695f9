package dev.robustsweep.trainers.weights;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Minimal reader of the protobuf wire format (varints and length-delimited fields), enough to walk
 * an ONNX ModelProto without generated classes. Not a general protobuf library.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private final int end;
    private int tag;

    /** Reads the bytes [start, end) of {@code buf}. */
    ProtobufReader(ByteBuffer buf, int start, int end) {
        this.buf = buf.duplicate();
        this.buf.position(start);
        this.end = end;
    }

    /** Advances to the next field; false at the end. */
    boolean next() {
        if (buf.position() >= end) return false;
        tag = (int) varint();
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf.get();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new IllegalStateException("malformed varint at byte " + buf.position());
    }

    /** For a length-delimited field: a reader over its bytes (the outer reader skips past them). */
    ProtobufReader message() {
        int len = (int) varint();
        int start = buf.position();
        buf.position(start + len);
        return new ProtobufReader(buf, start, start + len);
    }

    /** For a length-delimited field: its [start, end) byte range. */
    int[] range() {
        int len = (int) varint();
        int start = buf.position();
        buf.position(start + len);
        return new int[] {start, start + len};
    }

    String string() {
        int[] r = range();
        byte[] bytes = new byte[r[1] - r[0]];
        buf.duplicate().position(r[0]).get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> buf.position(buf.position() + 8);
            case LENGTH_DELIMITED -> range();
            case FIXED32 -> buf.position(buf.position() + 4);
            default -> throw new IllegalStateException("unsupported wire type " + wireType());
        }
    }

    /** End (exclusive) of the bytes this reader walks. */
    int range0End() {
        return end;
    }

    ByteBuffer buffer() {
        return buf;
    }
}
