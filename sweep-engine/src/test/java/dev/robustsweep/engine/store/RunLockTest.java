package dev.robustsweep.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @TempDir Path dir;

    @Test
    void secondEngineIsRefusedAndALockFromAKilledEngineIsTakenOver() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            String line = r.readLine();
            assertTrue(line != null && line.startsWith("locked"), "holder said: " + line);
            RunLock.LockedException e = assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(dir));
            assertTrue(e.getMessage().contains("in use by another engine (pid " + holder.pid() + " on "), e.getMessage());
            assertEquals(holder.pid(), RunLock.liveOwnerPid(dir));
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        }
        // the file still names the dead holder; the OS lock is gone, so the next engine takes over
        assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("\"pid\":" + holder.pid()));
        assertEquals(-1, RunLock.liveOwnerPid(dir));
        try (RunLock lock = RunLock.acquire(dir)) {
            assertTrue(Files.readString(lock.file()).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
    }

    @Test
    void aStaleLockFileWithAnUnknownPidIsTakenOver() throws Exception {
        Files.writeString(dir.resolve(RunLock.FILE), "{\"pid\":999999999,\"host\":\"elsewhere\",\"started\":\"2020-01-01T00:00:00Z\"}\n");
        try (RunLock lock = RunLock.acquire(dir)) {
            assertTrue(Files.readString(lock.file()).startsWith("{\"pid\":" + ProcessHandle.current().pid() + ","));
        }
    }
}
