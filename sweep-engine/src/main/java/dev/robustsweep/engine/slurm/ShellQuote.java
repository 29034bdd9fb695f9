package dev.robustsweep.engine.slurm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes values for bash, like {@code printf %q} but always with single quotes: inside single quotes
 * bash expands nothing ({@code $}, backticks, {@code ;}, globs, newlines are literal), and a single
 * quote is written as {@code '\''} (close, escaped quote, reopen).
 */
public final class ShellQuote {
    private ShellQuote() {}

    /** One shell word that bash reads back as exactly {@code value}. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain a NUL character: " + value.replace('\0', '?'));
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Each value quoted, separated by single spaces. */
    public static String join(List<String> values) {
        return values.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
