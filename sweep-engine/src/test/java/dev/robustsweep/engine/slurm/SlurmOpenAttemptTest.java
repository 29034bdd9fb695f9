package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsweep.engine.store.AttemptLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which attempt a dead engine left running (the only one a restarted engine may re-attach to). Needs no Slurm. */
class SlurmOpenAttemptTest {
    @TempDir Path dir;

    @Test
    void onlyAStartWithoutItsEndIsOpen() throws Exception {
        assertEquals(-1, SlurmBackend.openAttempt(dir), "no attempts.jsonl");
        AttemptLog.start(dir, 1);
        assertEquals(1, SlurmBackend.openAttempt(dir));
        AttemptLog.end(dir, 1, "failed", "Slurm CANCELLED, exit code 0:15 (array job 4, task 0)", 143, 2.0);
        assertEquals(-1, SlurmBackend.openAttempt(dir), "ended: its task is never followed again");
        AttemptLog.start(dir, 2);
        assertEquals(2, SlurmBackend.openAttempt(dir), "the retry, submitted or about to be");
        AttemptLog.end(dir, 1, "failed", "a stray end of an older attempt", null, 0);
        assertEquals(2, SlurmBackend.openAttempt(dir), "an end closes only its own attempt");
    }
}
