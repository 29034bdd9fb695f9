package dev.robustsweep.trainers.train;

import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.nio.file.Path;

/** The small MRPC trial the trial-level tests share: 48 training / 24 dev examples, length 32, 2 epochs, batch 8. */
public final class TinyTrial {
    private TinyTrial() {}

    public static TrialConfig of(Path model, String method, double learningRate) {
        TrialConfig t = new TrialConfig();
        t.trialId = "t-" + method;
        t.model = model.toString();
        t.task = new TaskSpec();
        t.task.name = "mrpc";
        t.dataDir = Path.of("..", "data").toString();
        t.method = method;
        t.learningRate = learningRate;
        t.batchSize = 8;
        t.epochs = 2;
        t.maxSeqLength = 32;
        t.maxTrainSamples = 48;
        t.maxEvalSamples = 24;
        return t;
    }
}
