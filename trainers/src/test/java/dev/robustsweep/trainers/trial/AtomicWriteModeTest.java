package dev.robustsweep.trainers.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by rename get the mode the umask gives any new file (0644 under umask 022), not createTempFile's 0600. */
class AtomicWriteModeTest {
    @TempDir Path dir;

    @Test
    void renamedFilesHaveTheUmaskMode() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain")); // what the umask gives a new file
        Path written = dir.resolve("result.json");
        TrialFiles.writeAtomically(written, Map.of("a", 1));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
        assertTrue(Files.getPosixFilePermissions(written).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp file left");
        }
    }
}
