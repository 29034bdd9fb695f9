package dev.robustsweep.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One engine per run folder: {@code run.lock} holds an operating-system lock for as long as the
 * owning engine lives, and its pid, host and start time for messages. The OS drops the lock when the
 * owner dies (even by SIGKILL), so a stale lock file left by a dead engine is simply taken over.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "run.lock";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of a run folder, or throws {@link LockedException} naming the engine that holds it. */
    public static RunLock acquire(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new LockedException(runDir + ": in use by another engine (" + describe(owner(runDir)) + "); wait for it, or stop it with: robustsweep cancel " + runDir);
        }
        String info = JSON.createObjectNode().put("pid", ProcessHandle.current().pid()).put("host", host())
                .put("started", Instant.now().toString()).toString() + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new RunLock(file, ch, lock);
    }

    /** The lock file's content (pid, host, started), or null if there is none or it is unreadable. */
    public static JsonNode owner(Path runDir) {
        try {
            Path f = runDir.resolve(FILE);
            if (!Files.isRegularFile(f)) return null;
            String s = Files.readString(f).strip();
            return s.isEmpty() ? null : JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    /** The pid of a live engine holding the folder, or -1 (checked by pid on this host; the OS lock is what decides). */
    public static long liveOwnerPid(Path runDir) {
        JsonNode o = owner(runDir);
        if (o == null || !o.has("pid")) return -1;
        if (o.has("host") && !o.get("host").asText().equals(host())) return -1;
        long pid = o.get("pid").asLong();
        if (pid == ProcessHandle.current().pid()) return pid;
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && isLocked(runDir) ? pid : -1;
    }

    /** Whether some process holds the OS lock (probes with a shared-free try-lock, released at once). */
    private static boolean isLocked(Path runDir) {
        try (FileChannel ch = FileChannel.open(runDir.resolve(FILE), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(JsonNode o) {
        if (o == null) return "owner unknown";
        return "pid " + o.path("pid").asText("?") + " on " + o.path("host").asText("?") + ", since " + o.path("started").asText("?");
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Releases the lock; the file stays (its pid then names a dead process, which is harmless). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
        } finally {
            channel.close();
        }
    }

    public Path file() {
        return file;
    }

    /** The folder is held by a live engine. */
    public static final class LockedException extends RuntimeException {
        public LockedException(String message) {
            super(message);
        }
    }
}
