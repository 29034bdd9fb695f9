package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.engine.EngineProcess;
import dev.robustsweep.engine.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Slurm partition with shell syntax is refused when the grid is checked: file, line, key; exit 2; nothing written. Needs no Slurm. */
class SlurmGridValidationTest {
    @TempDir Path tmp;

    @Test
    void partitionWithShellMetacharactersIsRejectedWithFileLineAndKey() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("tiny"));
        Path data = Fixtures.mrpcLikeData(tmp.resolve("data"), 16, 8);
        Path pwned = tmp.resolve("pwned");
        Path grid = Fixtures.grid(tmp, "inject", model, data, """
                methods: [lora]
                settings: {epochs: 1}
                execution:
                  backend: slurm
                  slurm:
                    partition: "debug;touch %s"
                    extra_flags: ["--comment=$(touch %s)"]
                """.formatted(pwned, pwned));
        Path runs = tmp.resolve("runs");
        Path out = tmp.resolve("engine.out");
        Process engine = EngineProcess.start(out, Map.of(), "run", grid.toString(), "--runs-dir", runs.toString());
        assertTrue(engine.waitFor(120, TimeUnit.SECONDS));
        String printed = Files.readString(out);
        assertEquals(2, engine.exitValue(), printed);
        // the grid's lines: 1 name, 2 model, 3 data_dir, 4 tasks, 5 methods, 6 settings, 7 execution, 8 backend, 9 slurm, 10 partition, 11 extra_flags
        assertTrue(printed.contains(grid + ":10:") && printed.contains("execution.slurm.partition: expected a partition name"), printed);
        assertTrue(printed.contains(grid + ":11:") && printed.contains("execution.slurm.extra_flags[0]"), printed);
        assertFalse(Files.exists(runs.resolve("inject")), "nothing is written for an invalid grid");
        assertFalse(Files.exists(pwned));
    }
}
