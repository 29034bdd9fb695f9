package dev.robustsweep.engine.grid;

import java.nio.file.Path;

/**
 * One problem a user can fix in a grid file: the file, the line and column, the key (a dotted path
 * such as {@code grid.learning_rate[1]} or {@code methods.lora-x.mixture}), and what was expected and found.
 */
public record GridError(Path file, GridLocation location, String key, String message) {

    /** "grids/x.yaml:12:5: grid.learning_rate[1]: must be a positive number, got -0.001". */
    public String format() {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (location.line() > 0) sb.append(':').append(location.line()).append(':').append(location.column());
        sb.append(": ");
        if (key != null && !key.isEmpty()) sb.append(key).append(": ");
        return sb.append(message).toString();
    }
}
