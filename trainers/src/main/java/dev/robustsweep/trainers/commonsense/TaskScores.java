package dev.robustsweep.trainers.commonsense;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation task's scores: accuracy (matches / records; no match counts as wrong), the intrinsic
 * score nll (per record, the mean per-token NLL of the gold output given the evaluation prompt; then
 * the mean over records), and the first generations for the result file.
 */
public record TaskScores(String task, int examples, int correct, int noAnswer, double nll, List<Map<String, Object>> samples) {
    public double accuracy() {
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("nll", nll);
        m.put("examples", examples);
        m.put("correct", correct);
        m.put("no_answer", noAnswer);
        return m;
    }
}
