package dev.robustsweep.trainers.posthoc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.train.Evaluator;
import java.util.ArrayList;
import java.util.List;

/**
 * MC dropout (Gal and Ghahramani 2016): at evaluation every dropout stays on (the model's and LoRA's),
 * and the predictive is the average of the softmax outputs of S passes. The engine is re-seeded from
 * the trial seed first, so the same trial repeats its masks exactly.
 */
public final class McDropout {
    /** Separates the evaluation masks' stream from training's. */
    static final long SALT = 0x4D43447270L;

    private McDropout() {}

    public static Predictions predict(SequenceClassifier model, Evaluator evaluator, List<TokenizedExample> examples,
                                      NDManager manager, Engine engine, long seed, int samples, boolean bf16) {
        EngineSetup.seed(engine, seed ^ SALT);
        ForwardContext dropoutOn = new ForwardContext(true, bf16);
        List<Predictions> passes = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) passes.add(evaluator.predict(model, examples, manager, dropoutOn));
        return PredictiveAverage.of(passes); // (1/S) sum_s softmax(f(x; mask_s))
    }
}
