package dev.robustsweep.trainers.data;

import java.util.List;

/** A task ready to train: examples of both splits, the number of classes, and checksums of the files read. */
public record TaskData(String name, List<Example> train, List<Example> dev, int numLabels,
                       String trainChecksum, String devChecksum) {}
