package dev.robustsweep.trainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.train.EpochRecord;
import dev.robustsweep.trainers.train.TrainingListener;
import dev.robustsweep.trainers.train.TrialResult;
import dev.robustsweep.trainers.train.TrialRunner;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code robustsweep train --trial trial.json --out DIR}: the worker. Trains one trial, writes
 * DIR/result.json atomically and streams progress lines. Exit 0 completed or diverged, 1 failed,
 * 2 bad trial file.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train and evaluate one trial (the sweep's worker); writes DIR/result.json.")
public final class TrainCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--trial", required = true, description = "Trial file (JSON, see docs/schemas.md).")
    Path trialFile;

    @Option(names = "--out", required = true, description = "Folder for result.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = System.out;
        TrialConfig trial;
        try {
            trial = TrialFiles.read(trialFile);
        } catch (TrialFiles.InvalidTrialException e) {
            System.err.println("robustsweep train: " + e.getMessage());
            return 2;
        }
        String outProblem = checkOutDir(out);
        if (outProblem != null) {
            // checked before any work: a trial must not train for hours to find it cannot write its result
            System.err.println("robustsweep train: --out " + out + ": " + outProblem);
            return 2;
        }
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("trial_id", trial.trialId);
        start.put("pid", ProcessHandle.current().pid());
        stdout.println("@trial-start " + JSON.writeValueAsString(start));
        stdout.flush();
        TrialResult result = TrialRunner.run(trial, new ProgressPrinter(stdout));
        try {
            TrialRunner.write(result, out);
        } catch (java.io.IOException e) {
            // the folder went away or the disk is full after training: say so, without a trace
            System.err.println("robustsweep train: cannot write " + out.resolve("result.json") + ": " + e);
            return 1;
        }
        String status = result.status();
        stdout.println("@trial-end " + JSON.writeValueAsString(Map.of("trial_id", trial.trialId, "status", status)));
        if (TrialResult.FAILED.equals(status)) {
            System.err.println("robustsweep train: trial " + trial.trialId + " failed: " + result.asMap().get("reason"));
            return 1;
        }
        return 0;
    }

    /** Creates the output folder; a problem (a file in the way, no permission) as a message, or null. */
    static String checkOutDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) return "exists and is not a folder (result.json is written inside it)";
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return "a file is in the way: " + e.getFile();
        } catch (java.io.IOException e) {
            return "cannot create the folder: " + e;
        }
        if (!Files.isWritable(dir)) return "folder is not writable";
        Path result = dir.resolve("result.json");
        if (Files.isDirectory(result)) return result + " is a folder";
        return null;
    }

    /** Prints "@progress {json}" lines: at most one per second, plus every epoch's scores. */
    static final class ProgressPrinter implements TrainingListener {
        private final PrintStream out;
        private long lastPrint;

        ProgressPrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStep(int epoch, int epochs, int step, int totalSteps, double loss) {
            long now = System.nanoTime();
            if (now - lastPrint < 1_000_000_000L && step != totalSteps) return;
            lastPrint = now;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("epochs", epochs);
            m.put("step", step);
            m.put("total_steps", totalSteps);
            m.put("loss", loss);
            print("@progress", m);
        }

        @Override
        public void onEpoch(EpochRecord r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", r.epoch());
            m.put("train_loss", r.trainLoss());
            m.put("accuracy", r.metrics().accuracy());
            m.put("nll", r.metrics().nll());
            m.put("f1", r.metrics().f1());
            m.put("mcc", r.metrics().mcc());
            print("@epoch", m);
        }

        private void print(String tag, Map<String, Object> m) {
            try {
                out.println(tag + " " + JSON.writeValueAsString(m));
                out.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }
}
