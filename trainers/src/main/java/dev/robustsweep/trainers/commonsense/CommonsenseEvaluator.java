package dev.robustsweep.trainers.commonsense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.GenerationSettings;
import dev.robustsweep.trainers.model.decoder.Generator;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import dev.robustsweep.trainers.trial.DecoderSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot evaluation of a decoder on one commonsense task (commonsense_evaluate.py):
 * <ul>
 *   <li>mode "generate" (the authors): the evaluation prompt, untruncated and left-padded per batch,
 *       generates up to max_new_tokens (greedy, or beam search with num_beams); the decoded sequence's
 *       response is matched with the task's pattern ({@link AnswerExtractor}); correct when equal to the answer;</li>
 *   <li>mode "likelihood" (a RobustSweep extension, not the paper's protocol): each option of the
 *       instruction's "Answer format:" line (else the task pattern's alternatives) is scored as the record's
 *       output with the option in place of the answer; the option with the lowest summed NLL is the prediction.</li>
 * </ul>
 * The intrinsic score nll is computed in both modes. Adapters are folded into weight copies for the
 * whole evaluation (exact for every mergeable method).
 */
public final class CommonsenseEvaluator {
    private final CausalLm model;
    private final PromptTokenizer tokenizer;
    private final PromptTemplate template;
    private final DecoderSettings settings;
    private final GenerationSettings generation;
    private final long padId;
    private final int batchSize;
    private final NDManager manager;

    public CommonsenseEvaluator(CausalLm model, PromptTokenizer tokenizer, PromptTemplate template, DecoderSettings settings,
                                GenerationSettings generation, int batchSize, NDManager manager) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = template;
        this.settings = settings;
        this.generation = generation;
        this.padId = generation.padTokenId();
        this.batchSize = batchSize;
        this.manager = manager;
    }

    /** Scores every task; adapters folded once for all of them. */
    public Map<String, TaskScores> evaluate(Map<String, List<InstructionRecord>> tasks) {
        Map<String, TaskScores> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            model.beginEvaluation();
            try {
                for (Map.Entry<String, List<InstructionRecord>> e : tasks.entrySet()) out.put(e.getKey(), evaluate(e.getKey(), e.getValue()));
            } finally {
                model.endEvaluation();
            }
        }
        return out;
    }

    TaskScores evaluate(String taskId, List<InstructionRecord> records) {
        CommonsenseTask task = CommonsenseTask.BUILTIN.get(taskId);
        double nllSum = 0;
        int correct = 0;
        int noAnswer = 0;
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int start = 0; start < records.size(); start += batchSize) {
            List<InstructionRecord> batch = records.subList(start, Math.min(records.size(), start + batchSize));
            // intrinsic: mean per-token NLL of each gold output given its prompt
            for (double v : meanNll(batch, batch.stream().map(InstructionRecord::output).toList(), false)) nllSum += v;
            List<String> responses;
            List<String> predictions = new ArrayList<>();
            if ("likelihood".equals(settings.evalMode)) {
                responses = new ArrayList<>();
                for (InstructionRecord r : batch) {
                    String best = rank(r, task);
                    predictions.add(best);
                    responses.add(best);
                }
            } else {
                responses = generate(batch);
                for (String response : responses) predictions.add(AnswerExtractor.extract(task, response, settings.answerExtraction));
            }
            for (int i = 0; i < batch.size(); i++) {
                InstructionRecord r = batch.get(i);
                String prediction = predictions.get(i);
                boolean ok = r.answer().equals(prediction);
                if (ok) correct++;
                if (prediction.isEmpty()) noAnswer++;
                if (samples.size() < settings.generationSamples) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("instruction", r.instruction());
                    s.put("answer", r.answer());
                    s.put("response", responses.get(i));
                    s.put("prediction", prediction);
                    s.put("correct", ok);
                    samples.add(s);
                }
            }
        }
        return new TaskScores(taskId, records.size(), correct, noAnswer, records.isEmpty() ? Double.NaN : nllSum / records.size(), samples);
    }

    /** The responses of a batch: generate, decode prompt + new tokens (special tokens skipped), split at "### Response:". */
    List<String> generate(List<InstructionRecord> batch) {
        List<long[]> prompts = new ArrayList<>();
        for (InstructionRecord r : batch) prompts.add(tokenizer.encode(template.evaluation(r)));
        List<long[]> fresh;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            fresh = new Generator(model, manager).generate(prompts, generation);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            long[] p = prompts.get(i);
            long[] all = Arrays.copyOf(p, p.length + fresh.get(i).length);
            System.arraycopy(fresh.get(i), 0, all, p.length, fresh.get(i).length);
            out.add(AnswerExtractor.response(tokenizer.decode(all)));
        }
        return out;
    }

    /** Likelihood ranking: the option whose output text has the lowest summed NLL (ties: the first). */
    String rank(InstructionRecord r, CommonsenseTask task) {
        List<String> options = options(r, task);
        List<InstructionRecord> same = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (String o : options) {
            same.add(r);
            outputs.add(r.output().contains(r.answer()) && !r.answer().isEmpty() ? r.output().replace(r.answer(), o) : "the correct answer is " + o);
        }
        double[] sums = meanNll(same, outputs, true);
        int best = 0;
        for (int i = 1; i < sums.length; i++) if (sums[i] < sums[best]) best = i;
        return options.get(best);
    }

    /** The options of a record: its instruction's "Answer format: a/b/c" line, else the task pattern's alternatives. */
    static List<String> options(InstructionRecord r, CommonsenseTask task) {
        String marker = "Answer format:";
        int at = r.instruction().lastIndexOf(marker);
        if (at >= 0) {
            String line = r.instruction().substring(at + marker.length()).strip().split("\\s+")[0];
            List<String> opts = Arrays.stream(line.split("/")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (!opts.isEmpty()) return opts;
        }
        return Arrays.asList(task.pattern().pattern().split("\\|"));
    }

    /**
     * Per row, the NLL of {@code outputs[i]} given the evaluation prompt of {@code records[i]}: the mean
     * over its tokens, or the sum when {@code sum}.
     */
    double[] meanNll(List<InstructionRecord> records, List<String> outputs, boolean sum) {
        List<CausalLmExample> examples = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            examples.add(CausalLmExample.scoring(records.get(i), outputs.get(i), template, tokenizer));
        }
        double[] out = new double[examples.size()];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            CausalLmBatch b = CausalLmBatch.of(examples, padId, manager);
            TokenNll.PerToken p = TokenNll.perToken(model.forward(b.ids(), b.mask(), ForwardContext.EVAL), b.labels());
            float[] rowNll = p.nll().sum(new int[] {1}).toFloatArray();
            float[] rowCount = p.mask().sum(new int[] {1}).toFloatArray();
            for (int i = 0; i < out.length; i++) {
                out[i] = sum ? rowNll[i] : rowCount[i] > 0 ? rowNll[i] / rowCount[i] : Double.NaN;
            }
        }
        return out;
    }
}
