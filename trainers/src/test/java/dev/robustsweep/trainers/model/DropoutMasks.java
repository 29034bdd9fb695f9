package dev.robustsweep.trainers.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every dropout mask drawn on the CPU while open (through {@link Dropout}'s observer), as keep
 * decisions: 1 where the element is kept, 0 where it is dropped (the 1 / (1 - p) scaling left out, so a
 * reference that replays the decisions applies its own). For oracle tests; one recorder at a time.
 */
public final class DropoutMasks implements AutoCloseable {
    /** One mask: its rate p, the shape of the tensor it multiplies, keep decisions (row-major, 0/1). */
    public record Mask(double rate, long[] shape, float[] keep) {}

    private final List<Mask> masks = new ArrayList<>();

    private DropoutMasks() {}

    public static DropoutMasks record() {
        DropoutMasks recorder = new DropoutMasks();
        if (Dropout.observer != null) throw new IllegalStateException("another DropoutMasks is recording");
        Dropout.observer = (rate, mask) -> {
            float[] values = mask.toFloatArray();
            float[] keep = new float[values.length];
            for (int i = 0; i < values.length; i++) keep[i] = values[i] != 0f ? 1f : 0f;
            synchronized (recorder.masks) {
                recorder.masks.add(new Mask(rate, mask.getShape().getShape(), keep));
            }
        };
        return recorder;
    }

    /** The masks drawn so far, in call order. */
    public List<Mask> masks() {
        synchronized (masks) {
            return List.copyOf(masks);
        }
    }

    @Override
    public void close() {
        Dropout.observer = null;
    }
}
