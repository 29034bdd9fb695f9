package dev.robustsweep.engine.store;

import java.nio.file.Path;

/** Test helper process: takes a run folder's lock, says so, and waits to be killed. */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        RunLock lock = RunLock.acquire(Path.of(args[0]));
        System.out.println("locked " + lock.file());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
