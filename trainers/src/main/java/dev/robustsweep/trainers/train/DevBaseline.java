package dev.robustsweep.trainers.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a classifier that ignores its input scores on the scored dev examples (method-spec.md
 * section 10): the majority-class accuracy, and the NLL of predicting the dev labels' own class prior,
 * which is the entropy of the label distribution, -sum_c p_c ln p_c (nats, like the trial's `nll`).
 * A method whose accuracy does not beat the first, or whose NLL does not beat the second, has not
 * learned anything from the text. Written to result.json as {@code dev_baseline}.
 *
 * @param labelCounts       examples per class 0..numLabels-1
 * @param majorityAccuracy  max_c n_c / n
 * @param priorNll          -sum_c (n_c/n) ln(n_c/n), empty classes contributing 0
 */
public record DevBaseline(List<Integer> labelCounts, double majorityAccuracy, double priorNll) {

    /** The baseline of dev labels in 0..numLabels-1 (at least one label). */
    public static DevBaseline of(int[] labels, int numLabels) {
        if (labels.length == 0) throw new IllegalArgumentException("no dev labels");
        int[] counts = new int[numLabels];
        for (int y : labels) counts[y]++;
        double n = labels.length;
        int max = 0;
        double entropy = 0;
        List<Integer> list = new ArrayList<>(numLabels);
        for (int c : counts) {
            max = Math.max(max, c);
            if (c > 0) entropy -= (c / n) * Math.log(c / n);
            list.add(c);
        }
        return new DevBaseline(List.copyOf(list), max / n, entropy);
    }

    /** The result.json object. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("majority_accuracy", majorityAccuracy);
        m.put("prior_nll", priorNll);
        m.put("label_counts", labelCounts);
        return m;
    }
}
