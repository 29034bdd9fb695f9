package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Reads trial files and writes JSON files atomically (temp file in the same folder, fsync, rename). */
public final class TrialFiles {
    /** Strict mapper: unknown keys are errors. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private TrialFiles() {}

    /** Reads and validates a trial file; throws {@link InvalidTrialException} naming the file and key. */
    public static TrialConfig read(Path file) {
        TrialConfig trial;
        try {
            trial = JSON.readValue(file.toFile(), TrialConfig.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InvalidTrialException(file + ": trial file not found");
        } catch (JsonProcessingException e) {
            throw new InvalidTrialException(file + ": line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": " + JsonProblem.describe(e));
        } catch (IOException e) {
            throw new InvalidTrialException(file + ": cannot read: " + e.getMessage());
        }
        List<String> errors = trial.validate();
        if (!errors.isEmpty()) throw new InvalidTrialException(file + ": " + String.join("; ", errors));
        return trial;
    }

    /** Writes {@code value} as JSON to {@code target} so that a reader sees either nothing or the whole file. */
    public static void writeAtomically(Path target, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newTempFile(dir, target.getFileName().toString());
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty ".NAME.RANDOM.tmp" file in {@code dir}, created with the process's umask (0644 under
     * umask 022), unlike {@link Files#createTempFile} (always 0600), so that what is renamed into
     * place is as readable as any other file the user writes (shared cluster folders need group read).
     */
    public static Path newTempFile(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: draw another name
            }
        }
    }

    private static final java.security.SecureRandom TEMP_NAMES = new java.security.SecureRandom();

    /** A user's mistake in a trial file: one line, no stack trace. */
    public static final class InvalidTrialException extends RuntimeException {
        public InvalidTrialException(String message) {
            super(message);
        }
    }
}
