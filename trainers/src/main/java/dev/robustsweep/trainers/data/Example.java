package dev.robustsweep.trainers.data;

/** One labelled example: a sentence or a sentence pair (textPair null for single sentences). */
public record Example(String text, String textPair, int label) {}
