package dev.robustsweep.cli;

import dev.robustsweep.engine.execution.BackendProvider;
import dev.robustsweep.engine.store.RunLock;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code robustsweep cancel runs/<sweep>}: stop the engine working on a run folder (its workers stop with it). */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = {
        "Stops the engine that holds a run folder's lock (SIGTERM; SIGKILL after --grace), and cancels the sweep's Slurm jobs.",
        "Its running trials stop too and have no result, so 'resume' reruns them; finished trials keep their results."})
final class CancelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30", description = "seconds to wait before SIGKILL (default ${DEFAULT-VALUE})")
    int grace;

    @Override
    public Integer call() throws Exception {
        if (grace < 0) throw new IllegalArgumentException("--grace: expected seconds >= 0, found " + grace);
        if (!dev.robustsweep.engine.store.RunStore.exists(dir) && !java.nio.file.Files.exists(dir.resolve(RunLock.FILE))) {
            throw new dev.robustsweep.engine.store.RunStore.NotARunFolderException(dir + ": not a run folder (expected sweep.json and trials.jsonl, or a run.lock)");
        }
        long pid = RunLock.liveOwnerPid(dir);
        Optional<ProcessHandle> h = pid < 0 ? Optional.empty() : ProcessHandle.of(pid);
        if (h.isEmpty()) {
            System.out.println(dir + ": no engine is running on it");
        } else {
            System.out.println("stopping engine pid " + pid + " on " + dir);
            h.get().destroy();
            try {
                h.get().onExit().get(grace, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.get().destroyForcibly();
                h.get().onExit().get(10, TimeUnit.SECONDS);
            }
            System.out.println("stopped; continue later with: robustsweep resume " + dir);
        }
        // then what backends left running for the folder (the sweep's Slurm jobs)
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) p.cancelJobs(dir).forEach(System.out::println);
        return ExitCodes.OK;
    }
}
