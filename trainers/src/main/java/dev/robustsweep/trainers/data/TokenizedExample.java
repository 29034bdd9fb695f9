package dev.robustsweep.trainers.data;

/** Token ids and token-type ids of one example (special tokens included, truncated), and its label. */
public record TokenizedExample(long[] ids, long[] typeIds, int label) {}
