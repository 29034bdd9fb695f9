package dev.robustsweep.engine;

import dev.robustsweep.engine.execution.WorkerCommand;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The fake-worker.sh test script as a worker command. */
public final class FakeWorker {
    private FakeWorker() {}

    public static WorkerCommand command(Map<String, String> env) {
        try {
            Path script = Path.of(FakeWorker.class.getResource("/fake-worker.sh").toURI());
            return new WorkerCommand(List.of("bash", script.toString()), env);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
