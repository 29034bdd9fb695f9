package dev.robustsweep.engine.grid;

import java.util.List;

/** A grid file that cannot run, with every problem found (not just the first); no stack trace is shown to users. */
public final class GridException extends RuntimeException {
    private final List<GridError> errors;

    public GridException(List<GridError> errors) {
        super(errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + " in grid file:\n"
                + String.join("\n", errors.stream().map(e -> "  " + e.format()).toList()));
        this.errors = List.copyOf(errors);
    }

    public List<GridError> errors() {
        return errors;
    }
}
