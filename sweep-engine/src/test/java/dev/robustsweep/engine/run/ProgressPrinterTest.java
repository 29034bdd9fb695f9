package dev.robustsweep.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.execution.WorkerProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    @Test
    void plainOutputHasOneLinePerEventAndABarWithCounts() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true), false, 2, Duration.ofHours(1));
        p.begin("sweep x", 4, 1, 3);
        p.started("t1", "cpu0", 1);
        p.progress("t1", WorkerProgress.parse("@progress {\"epoch\": 1, \"epochs\": 2, \"step\": 5, \"total_steps\": 10, \"loss\": 0.5}"));
        p.finished("t1", "completed", 12.0, "accuracy 0.8000, nll 0.4000", false);
        String out = buf.toString();
        assertTrue(out.contains("4 trials: 1 already done, 3 to run"), out);
        assertTrue(out.contains("start  t1 [cpu0]"), out);
        assertTrue(out.contains("completed t1 (12s): accuracy 0.8000, nll 0.4000"), out);
        // 2 of 4 done; 2 left x 12 s per trial / 2 slots = 12 s
        assertTrue(out.contains("[###############---------------] 2/4  completed 1  diverged 0  failed 0  running 0 |"), out);
        assertTrue(out.contains("ETA 12s"), out);
        assertTrue(!out.contains("\033["), "no terminal escapes in plain output");
    }

    @Test
    void terminalOutputRedrawsTheRunningBlockInPlace() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true), true, 1, Duration.ofHours(1));
        p.begin("sweep x", 2, 0, 2);
        p.started("trial-a", "cpu0", 2);
        p.progress("trial-a", WorkerProgress.parse("@progress {\"epoch\": 1, \"epochs\": 3, \"step\": 40, \"total_steps\": 345, \"loss\": 0.6312}"));
        p.tick();
        p.tick();
        String out = buf.toString();
        assertTrue(out.contains("epoch 1/3  step 40/345  loss 0.6312"), out);
        assertTrue(out.contains("attempt 2"), out);
        // the second tick moves up over the two lines it drew (trial line + bar) and clears them
        assertTrue(out.contains("\033[2A\033[J"), out);
    }

    @Test
    void progressLinesParseAndOthersDoNot() {
        WorkerProgress w = WorkerProgress.parse("@progress {\"epoch\":2,\"epochs\":3,\"step\":40,\"total_steps\":80,\"loss\":0.25}");
        assertEquals(new WorkerProgress(2, 3, 40, 80, 0.25), w);
        assertEquals(0.5, w.fraction());
        assertEquals(null, WorkerProgress.parse("@epoch {\"epoch\":1}"));
        assertEquals(null, WorkerProgress.parse("@progress {not json"));
    }
}
