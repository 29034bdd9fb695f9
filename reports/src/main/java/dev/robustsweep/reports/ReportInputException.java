package dev.robustsweep.reports;

import java.nio.file.Path;

/**
 * A user's input cannot be read: the message names the file, and where known the line and column,
 * what was expected and what was found. The CLI prints it as one line and exits with 2.
 */
public class ReportInputException extends RuntimeException {
    private final Path file;

    public ReportInputException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public ReportInputException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
