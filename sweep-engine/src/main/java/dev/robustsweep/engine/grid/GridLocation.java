package dev.robustsweep.engine.grid;

/** Where a value sits in a grid file: 1-based line and column (0 when unknown). */
public record GridLocation(int line, int column) {
    public static final GridLocation UNKNOWN = new GridLocation(0, 0);

    @Override
    public String toString() {
        return line <= 0 ? "" : line + ":" + column;
    }
}
