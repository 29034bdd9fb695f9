package dev.robustsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.Fixtures;
import dev.robustsweep.engine.execution.ExecutionSettings;
import dev.robustsweep.engine.grid.GridFile;
import dev.robustsweep.engine.grid.GridValidator;
import dev.robustsweep.engine.grid.ValidatedGrid;
import dev.robustsweep.engine.store.RunStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under LC_ALL=C a JVM cannot open a path with non-ASCII characters (JDK 17 takes the file-name
 * encoding from the locale and ignores -Dsun.jnu.encoding). The launcher's locale block runs the
 * JVM in a UTF-8 locale: here the block, taken from ./robustsweep as is, makes {@code status} work on
 * a run folder under "d\u00f6n\u00fc\u015f/", which fails without it.
 */
class LauncherLocaleTest {
    static final Path LAUNCHER = Path.of("..", "robustsweep").toAbsolutePath().normalize();
    @TempDir Path tmp;

    /** Runs status on the non-ASCII folder from bash under LC_ALL=C, with or without the launcher's locale block. */
    private String[] status(boolean withLauncherBlock) throws Exception {
        String script = "set -e\n"
                + "name=$'d\\xc3\\xb6n\\xc3\\xbc\\xc5\\x9f'\n" // "dönüş" in UTF-8, written in ASCII
                + "[ -d \"$TMP/$name\" ] || mv \"$TMP/ascii\" \"$TMP/$name\"\n"
                + (withLauncherBlock ? "eval \"$(sed -n '/^# locale:begin/,/^# locale:end/p' \"$LAUNCHER\")\"\n" : "")
                + "exec \"$JAVA\" -Dfile.encoding=UTF-8 -cp \"$CP\" dev.robustsweep.cli.RobustSweep status \"$TMP/$name/runs/good\"\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        pb.environment().put("TMP", tmp.toString());
        pb.environment().put("LAUNCHER", LAUNCHER.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("CP", System.getProperty("java.class.path"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void nonAsciiRunFolderWorksUnderLcAllC() throws Exception {
        Process locales = new ProcessBuilder("bash", "-c", "locale -a 2>/dev/null | grep -ixE 'c\\.utf-?8|en_us\\.utf-?8'").start();
        Assumptions.assumeTrue(locales.waitFor() == 0, "no UTF-8 locale installed on this machine");
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 10, 5);
        Path grid = Fixtures.grid(tmp, "good", model, data, "methods: [lora]\n");
        ValidatedGrid v = GridValidator.check(GridFile.read(grid));
        Path run = tmp.resolve("ascii/runs/good");
        RunStore.create(run, "good", grid, Files.readAllBytes(grid), v.trials(), ExecutionSettings.defaults());

        String[] without = status(false);
        assertNotEquals("0", without[0], "a plain JVM under LC_ALL=C cannot open the path:\n" + without[1]);
        String[] with = status(true);
        assertEquals("0", with[0], with[1]);
        assertTrue(with[1].contains("sweep good (") && with[1].contains("d\u00f6n\u00fc\u015f"), with[1]);
        assertTrue(Files.readString(LAUNCHER).contains("-Dfile.encoding=UTF-8"), "the launcher fixes the JVM's file encoding too");
    }
}
