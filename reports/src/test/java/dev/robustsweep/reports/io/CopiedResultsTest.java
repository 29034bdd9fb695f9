package dev.robustsweep.reports.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.reports.ScoreTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A result counted twice (a copied trial folder) or filed under another trial's folder is skipped and named. */
class CopiedResultsTest {
    @TempDir Path run;

    static void result(Path dir, String trialId, double acc) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), "{\"schema\": \"robustsweep.result/1\", \"trial_id\": \"" + trialId + "\", \"status\": \"completed\","
                + " \"task\": \"mrpc\", \"method\": \"lora\", \"grid_point\": {\"seed\": 1}, \"metrics\": {\"accuracy\": " + acc + ", \"nll\": 0.5}}");
    }

    @Test
    void duplicatesAndMisfiledResultsAreSkippedAndNamed() throws Exception {
        result(run.resolve("trials/a"), "a", 0.8);
        result(run.resolve("trials/b"), "b", 0.7);
        result(run.resolve("backup/trials-a-copy"), "a", 0.8);   // a copy elsewhere in the folder
        result(run.resolve("trials/c"), "b", 0.1);               // b's result filed under c
        ScoreTable t = ResultFolderReader.read(run, null);
        assertEquals(2, t.rows(), "a and b, once each");
        assertEquals(2, t.corruptFiles());
        String w = String.join("\n", t.warnings());
        assertTrue(w.contains("skipped " + run.resolve("trials/c/result.json") + ": its trial_id \"b\" is not its folder's trial c"), w);
        assertTrue(w.contains("skipped " + run.resolve("backup/trials-a-copy/result.json") + ": trial_id \"a\" is already counted from " + run.resolve("trials/a/result.json")), w);
    }
}
