package dev.robustsweep.trainers.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a data file as UTF-8 text, or fails naming the file, the line and what it found instead:
 * a UTF-16 file (by its byte-order mark), a binary file (NUL bytes), or bytes that are not UTF-8.
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** The file's lines (a UTF-8 byte-order mark is kept; readers drop it). */
    public static List<String> lines(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new DataFormatException(file, 0, "is a folder, expected a UTF-8 text file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "file not found");
        } catch (AccessDeniedException e) {
            throw new DataFormatException(file, 0, "permission denied");
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read: " + e.getMessage());
        }
        return decode(file, bytes).lines().toList();
    }

    /** Why {@code bytes} are not UTF-8 text, and on which 1-based line. */
    public record Problem(int line, String message) {}

    /** The first reason the bytes are not UTF-8 text (UTF-16, binary, invalid bytes), or null when they are. */
    public static Problem problem(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF) || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            return new Problem(1, "UTF-16 text (byte-order mark " + String.format("%02X %02X", bytes[0], bytes[1])
                    + "); expected UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) return new Problem(lineOf(bytes, i), "binary data (a NUL byte at offset " + i + "); expected UTF-8 text");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult r = decoder.decode(in, CharBuffer.allocate(bytes.length + 1), true);
        if (r.isError()) {
            return new Problem(lineOf(bytes, in.position()), String.format("not UTF-8 text (byte 0x%02X at offset %d); expected a UTF-8 file",
                    bytes[in.position()] & 0xFF, in.position()));
        }
        return null;
    }

    /** The bytes as text; throws {@link DataFormatException} naming file and line when they are not UTF-8. */
    public static String decode(Path file, byte[] bytes) {
        Problem p = problem(bytes);
        if (p != null) throw new DataFormatException(file, p.line(), p.message());
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (bytes[i] == '\n') line++;
        return line;
    }
}
