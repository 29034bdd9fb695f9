package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmJobsFileTest {
    @TempDir
    Path run;

    private static SubmittedArray intent(int n, String... trials) {
        List<SubmittedArray.Task> tasks = java.util.Arrays.stream(trials).map(t -> new SubmittedArray.Task(t, n)).toList();
        return new SubmittedArray(n, "rs-s-0000000" + n, null, "slurm/array-000" + n + ".sh", "2026-01-01T00:00:0" + n + "Z", tasks);
    }

    @Test
    void survivesARestartAndFindsTheLatestTaskOfATrial() throws IOException {
        SlurmJobsFile f = SlurmJobsFile.load(run);
        assertEquals(1, f.nextSubmission());
        f.recordIntent(intent(1, "t-a", "t-b", "t-c"));
        f.recordSubmitted(1, "41");
        f.recordIntent(intent(2, "t-b"));
        f.recordSubmitted(2, "57");
        f.recordIntent(intent(3, "t-d"));

        SlurmJobsFile again = SlurmJobsFile.load(run);
        assertEquals(f.arrays(), again.arrays());
        assertEquals(4, again.nextSubmission());
        assertEquals(new SlurmJobsFile.TaskRef("41", 2, 1, 1), again.latestTaskFor("t-c").orElseThrow());
        assertEquals(new SlurmJobsFile.TaskRef("57", 0, 2, 2), again.latestTaskFor("t-b").orElseThrow());
        assertTrue(again.latestTaskFor("t-d").isEmpty(), "an unconfirmed submission is not a running task");
        assertEquals(List.of(3), again.unconfirmed().stream().map(SubmittedArray::submission).toList());

        again.forget(3);
        assertEquals(List.of(), SlurmJobsFile.load(run).unconfirmed());
        String json = Files.readString(run.resolve(SlurmJobsFile.FILE_NAME));
        assertTrue(json.contains("\"schema\" : \"robustsweep.slurm-jobs/1\""), json);
        assertTrue(json.contains("\"array_job_id\" : \"57\""), json);
        assertTrue(json.contains("\"trial_id\" : \"t-b\""), json);
    }

    @Test
    void refusesDuplicatesAndNamesTheFileWhenCorrupt() throws IOException {
        SlurmJobsFile f = SlurmJobsFile.load(run);
        f.recordIntent(intent(1, "t"));
        assertThrows(IllegalArgumentException.class, () -> f.recordIntent(intent(1, "u")));
        assertThrows(IllegalArgumentException.class, () -> f.recordSubmitted(9, "1"));
        Files.writeString(run.resolve(SlurmJobsFile.FILE_NAME), "{\"schema\": \"robustsweep.slurm-jobs/1\", \"arrays\": [{\"oops\": 1}]}");
        IOException e = assertThrows(IOException.class, () -> SlurmJobsFile.load(run));
        assertTrue(e.getMessage().startsWith(run.resolve(SlurmJobsFile.FILE_NAME) + ": line 1"), e.getMessage());
        Files.writeString(run.resolve(SlurmJobsFile.FILE_NAME), "{\"schema\": \"other/2\", \"arrays\": []}");
        e = assertThrows(IOException.class, () -> SlurmJobsFile.load(run));
        assertTrue(e.getMessage().contains("key schema: expected \"robustsweep.slurm-jobs/1\", found \"other/2\""), e.getMessage());
    }
}
