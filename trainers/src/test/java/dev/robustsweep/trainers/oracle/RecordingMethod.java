package dev.robustsweep.trainers.oracle;

import ai.djl.ndarray.NDArray;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.monteclora.MonteCLoraAdapter;
import dev.robustsweep.trainers.adapters.monteclora.MonteCLoraMethod;
import dev.robustsweep.trainers.model.AdaptableModel;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wraps the trial's method and records, inside the trainer's own step, what the oracle needs: the
 * gradients every trainable tensor holds when the method's after-step hook runs (after clipping, which
 * is what AdamW and AdaLoRA's allocator see) and MonteCLoRA's sampling noise of the step.
 */
final class RecordingMethod implements AdaptationMethod {
    private final AdaptationMethod inner;
    private final SequenceClassifier model;
    /** "step/module/bartlett", "step/module/pi_noise", "step/module/gaussians". */
    final Map<String, Tensor> noise = new LinkedHashMap<>();
    /** "grad/step/name". */
    final Map<String, Tensor> gradients = new LinkedHashMap<>();
    /** The step the next forward pass belongs to (1-based), set by the test before each trainer step. */
    int step;

    RecordingMethod(AdaptationMethod inner, SequenceClassifier model) {
        this.inner = inner;
        this.model = model;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void apply(AdaptableModel m) {
        inner.apply(m);
    }

    @Override
    public Map<String, NDArray> extraLosses() {
        if (inner instanceof MonteCLoraMethod mc) {
            for (MonteCLoraAdapter adapter : mc.adapters()) {
                MonteCLoraAdapter.Draw draw = adapter.lastDraw();
                String module = adapter.a().name().replace(".lora_A.weight", "");
                int r = (int) adapter.a().array().getShape().get(0);
                noise.put(step + "/" + module + "/bartlett", tensor(draw.bartlett(), r, r));
                noise.put(step + "/" + module + "/pi_noise", tensor(draw.piNoise()));
                noise.put(step + "/" + module + "/gaussians", tensor(draw.gaussians()));
            }
        }
        return inner.extraLosses();
    }

    @Override
    public void afterOptimizerStep(int s, int totalSteps) {
        for (Parameter p : model.allParameters()) {
            if (p.trainable()) gradients.put("grad/" + s + "/" + p.name(), tensor(p.array().getGradient()));
        }
        inner.afterOptimizerStep(s, totalSteps);
    }

    @Override
    public void onEpochStart(int epoch, int epochs, AdaptableModel m) {
        inner.onEpochStart(epoch, epochs, m);
    }

    @Override
    public List<dev.robustsweep.trainers.adapters.TrainingPhase> phases(int epochs) {
        return inner.phases(epochs);
    }

    @Override
    public Map<String, Object> state() {
        return inner.state();
    }

    @Override
    public long extraParameterCount() {
        return inner.extraParameterCount();
    }

    static Tensor tensor(NDArray a) {
        return new Tensor(a.getShape().getShape(), FloatBuffer.wrap(a.toFloatArray()));
    }

    static Tensor tensor(float[] data, long... shape) {
        return new Tensor(shape, FloatBuffer.wrap(data.clone()));
    }

    static Map<String, Tensor> snapshot(List<Parameter> parameters, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : parameters) out.put(prefix + p.name(), tensor(p.array()));
        return out;
    }
}
