package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmShellQuoteTest {

    @Test
    void quotesAsPrintfQWouldReadBack() {
        assertEquals("'plain'", ShellQuote.quote("plain"));
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("'a' 'b c'", ShellQuote.join(List.of("a", "b c")));
    }

    /** bash itself reads each quoted word back unchanged, and nothing inside it runs. */
    @Test
    void bashReadsBackEveryValueAndRunsNothing(@TempDir Path dir) throws Exception {
        Path pwned = dir.resolve("pwned");
        List<String> values = List.of(
                "$(touch " + pwned + ")", "`touch " + pwned + "`", "; touch " + pwned + " ;", "' ; touch " + pwned + " ; '",
                "a\nb", "*", "~", "!!", "\"double\"", "back\\slash", "${HOME}", "tab\there", "ünïcödé", "");
        for (String v : values) {
            Process p = new ProcessBuilder("bash", "-c", "printf '%s' " + ShellQuote.quote(v)).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "bash failed on " + v);
            assertEquals(v, out);
        }
        assertFalse(Files.exists(pwned), "a quoted value ran a command");
    }

    @Test
    void refusesNul() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
    }
}
