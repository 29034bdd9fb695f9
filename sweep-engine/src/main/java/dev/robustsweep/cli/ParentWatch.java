package dev.robustsweep.cli;

import dev.robustsweep.engine.execution.WorkerCommand;
import java.io.IOException;
import java.io.InputStream;

/**
 * In a worker started by the engine ({@code ROBUSTSWEEP_WATCH_STDIN=1}): stdin is a pipe the engine
 * holds open and never writes to. When the engine dies, even by SIGKILL, the pipe closes, this
 * watcher reads end-of-file and halts the worker at once, so no orphaned worker can write a result
 * while a resumed engine runs the same trial again.
 */
final class ParentWatch {
    /** Exit status of a worker stopped because its engine is gone. */
    static final int ORPHANED = 3;

    private ParentWatch() {}

    static void startIfRequested() {
        if (!"1".equals(System.getenv(WorkerCommand.WATCH_STDIN))) return;
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // the engine never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe means the same as EOF
            }
            Runtime.getRuntime().halt(ORPHANED);
        }, "robustsweep-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
