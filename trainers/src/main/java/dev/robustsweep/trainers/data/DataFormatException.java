package dev.robustsweep.trainers.data;

import java.nio.file.Path;

/** A data file that cannot be read as its task expects; the message names file and line. */
public final class DataFormatException extends RuntimeException {
    public DataFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
