package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;

/**
 * One padded batch for the encoder, all [batch, seq] int64 except the mask (float32, 1 = token, 0 = pad).
 * Position ids are explicit because BERT and RoBERTa number positions differently.
 */
public record EncoderInput(NDArray inputIds, NDArray tokenTypeIds, NDArray positionIds, NDArray attentionMask) {}
