package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;

/**
 * A named tensor of the model. Frozen parameters never get a gradient, so autograd computes no
 * weight gradient for them (the saving that makes LoRA cheaper than full fine-tuning).
 */
public final class Parameter {
    private final String name;
    private final NDArray array;
    private final boolean decay;
    private boolean trainable;

    /**
     * @param name  Hugging Face-style name, e.g. "encoder.layer.0.attention.self.query.weight"
     * @param array the value; owned by the model's manager
     * @param decay whether AdamW's decoupled weight decay applies (not to biases and LayerNorm)
     */
    public Parameter(String name, NDArray array, boolean decay) {
        this.name = name;
        this.array = array;
        this.decay = decay;
    }

    public String name() {
        return name;
    }

    public NDArray array() {
        return array;
    }

    public boolean decay() {
        return decay;
    }

    public boolean trainable() {
        return trainable;
    }

    /** Marks the parameter trainable (attaches a gradient) or frozen. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        array.setRequiresGradient(trainable);
    }

    public long size() {
        return array.getShape().size();
    }
}
