package dev.robustsweep.trainers.weights;

/** A model folder or weight file that cannot be used: the message names the file and what is wrong. */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
