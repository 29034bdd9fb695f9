package dev.robustsweep.engine.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failure reason of a worker that died on an exception is the exception's line, not a stack frame. */
class WorkerLogTailTest {
    @TempDir Path dir;

    @Test
    void anExceptionsOwnLineIsTheLastOutputNotItsFrames() throws Exception {
        Path log = dir.resolve("worker.log");
        Files.writeString(log, "@trial-start {\"trial_id\": \"t\", \"pid\": 1}\n"
                + "loading\n"
                + "Exception in thread \"main\" java.lang.IllegalStateException: tokenizer vocabulary is empty\n"
                + "\tat dev.robustsweep.trainers.data.TextEncoder.<init>(TextEncoder.java:30)\n"
                + "\tat dev.robustsweep.trainers.train.TrialRunner.run(TrialRunner.java:61)\n"
                + "Caused by: java.io.IOException: read failed\n"
                + "\tat java.base/java.io.FileInputStream.readBytes(Native Method)\n"
                + "\t... 4 more\n");
        WorkerLogTail tail = new WorkerLogTail(log, 0);
        tail.read();
        assertEquals("java.lang.IllegalStateException: tokenizer vocabulary is empty", tail.lastOutput());
    }

    @Test
    void ordinaryOutputStillCounts() throws Exception {
        Path log = dir.resolve("worker.log");
        Files.writeString(log, "boom: something broke\n  indented detail that is not a frame\n");
        WorkerLogTail tail = new WorkerLogTail(log, 0);
        tail.read();
        assertEquals("  indented detail that is not a frame", tail.lastOutput());
    }
}
