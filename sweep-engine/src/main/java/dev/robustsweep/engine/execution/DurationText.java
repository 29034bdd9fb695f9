package dev.robustsweep.engine.execution;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: 90 (seconds), "90s", "30m", "2h", "1h30m", "1d"; and back to short text. */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(d|h|m|s|ms)");

    private DurationText() {}

    /** Parses a duration, or returns null when the text is not one. */
    public static Duration parse(String text) {
        String s = text.strip().toLowerCase();
        if (s.matches("\\d+(\\.\\d+)?")) return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        Matcher m = PART.matcher(s);
        long millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end && !s.substring(end, m.start()).isBlank()) return null;
            double v = Double.parseDouble(m.group(1));
            millis += Math.round(v * switch (m.group(2)) {
                case "d" -> 86_400_000;
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1000;
                default -> 1;
            });
            end = m.end();
        }
        return end == s.length() && end > 0 ? Duration.ofMillis(millis) : null;
    }

    /** "1h02m", "4m05s", "12s", "0.8s". */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format("%dm%02ds", s / 60, s % 60);
        if (s >= 10) return s + "s";
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
