package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.reports.render.PaperTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a method present on only some tasks must not get an "average" over fewer tasks and be
 * starred best for it. Averages are over the tasks every method ran; the others are named.
 */
class CommonTaskAverageTest {
    @TempDir Path dir;

    @Test
    void averagesAreOverCommonTasksAndTheLeftOutTaskIsNamed() throws Exception {
        // lora ran easy and hard; dora ran only easy, where lora is better
        Path csv = Files.writeString(dir.resolve("scores.csv"), """
                task,method,learning_rate,accuracy,nll
                easy,lora,1e-4,0.8,0.4
                easy,lora,2e-4,0.8,0.4
                hard,lora,1e-4,0.2,1.2
                hard,lora,2e-4,0.2,1.2
                easy,dora,1e-4,0.7,0.5
                easy,dora,2e-4,0.7,0.5
                """);
        Report.Result r = Report.compute(csv, ReportOptions.builder().optReference("lora").build());
        double lora = Double.NaN, dora = Double.NaN;
        for (RobustnessRow row : r.robustness()) {
            if (!row.task().equals(RobustnessRow.AVERAGE) || !row.metric().equals("accuracy")) continue;
            if (row.method().equals("lora")) lora = row.median();
            if (row.method().equals("dora")) dora = row.median();
        }
        assertEquals(0.8, lora, 1e-12, "lora's average is over 'easy' only, the task dora ran too (not (0.8 + 0.2) / 2)");
        assertEquals(0.7, dora, 1e-12);
        PaperTable accuracy = r.robustnessTables().stream().filter(t -> t.title().contains("accuracy")).findFirst().orElseThrow();
        int avg = accuracy.columns().indexOf(RobustnessRow.AVERAGE);
        assertEquals("lora", accuracy.methods().get(accuracy.bestRow(avg)), "dora is not starred best for skipping the hard task");
        assertTrue(r.countsNote().contains("averages are over the 1 task(s) every method ran (easy); not averaged: hard (only lora)"), r.countsNote());
    }
}
