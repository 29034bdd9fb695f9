package dev.robustsweep.trainers.commonsense;

import java.util.List;
import java.util.Map;

/**
 * A commonsense trial's data: the training records (one task's train.json, a user's mix file such as
 * commonsense_15k.json, or a seeded mix), and the evaluation records of each task, with checksums.
 */
public record CommonsenseData(String name, List<InstructionRecord> train, Map<String, List<InstructionRecord>> eval,
                              String trainChecksum, Map<String, String> evalChecksums) {
    public int evalSize() {
        return eval.values().stream().mapToInt(List::size).sum();
    }
}
