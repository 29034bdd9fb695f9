package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.model.ForwardContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text generation as Hugging Face's generate does it for a decoder: prompts left-padded into one
 * batch, position ids from the attention mask, one forward pass over the prompt, then one token at a
 * time reading the KV cache (or, with useCache false, the whole sequence again: same tokens, slower).
 * Greedy picks the arg-max token; beam search keeps numBeams hypotheses per prompt (BeamSearchScorer:
 * the top 2 x beams candidates per step, finished hypotheses scored sum log p / length^penalty,
 * early_stopping false). Returns each prompt's new tokens, ending with the EOS token when one was made.
 */
public final class Generator {
    private final CausalLm model;
    private final NDManager manager;

    public Generator(CausalLm model, NDManager manager) {
        this.model = model;
        this.manager = manager;
    }

    public List<long[]> generate(List<long[]> prompts, GenerationSettings s) {
        for (long[] p : prompts) if (p.length == 0) throw new IllegalArgumentException("generate: empty prompt");
        if (s.numBeams() == 1) return greedy(prompts, s);
        List<long[]> out = new ArrayList<>();
        for (long[] p : prompts) out.add(beam(p, s));
        return out;
    }

    // ---- greedy ----

    private List<long[]> greedy(List<long[]> prompts, GenerationSettings s) {
        int b = prompts.size();
        int promptLen = 0;
        for (long[] p : prompts) promptLen = Math.max(promptLen, p.length);
        int maxLen = promptLen + s.maxNewTokens();
        long[][] ids = new long[b][maxLen];
        long[][] mask = new long[b][maxLen];
        for (int r = 0; r < b; r++) {
            long[] p = prompts.get(r);
            int pad = promptLen - p.length;
            Arrays.fill(ids[r], s.padTokenId());
            System.arraycopy(p, 0, ids[r], pad, p.length);
            for (int j = pad; j < promptLen; j++) mask[r][j] = 1;
        }
        boolean[] finished = new boolean[b];
        List<List<Long>> generated = new ArrayList<>();
        for (int r = 0; r < b; r++) generated.add(new ArrayList<>());
        try (KvCache cache = s.useCache() ? new KvCache(model.layers().size()) : null) {
            int len = promptLen;
            for (int step = 0; step < s.maxNewTokens(); step++) {
                long[] next;
                try (NDScope ignored = new NDScope()) {
                    NDArray logits = lastLogits(ids, mask, len, cache);
                    next = logits.argMax(-1).toLongArray();
                }
                boolean all = true;
                for (int r = 0; r < b; r++) {
                    long token = finished[r] ? s.padTokenId() : next[r];
                    if (!finished[r]) {
                        generated.get(r).add(token);
                        if (s.eosTokenIds().contains(token)) finished[r] = true;
                    }
                    ids[r][len] = token;
                    mask[r][len] = 1; // as generate: the mask grows by one for every row
                    all &= finished[r];
                }
                len++;
                if (all) break;
            }
        }
        List<long[]> out = new ArrayList<>();
        for (List<Long> g : generated) out.add(g.stream().mapToLong(Long::longValue).toArray());
        return out;
    }

    /**
     * Logits [rows, vocab] for the next token after the first {@code len} tokens: the uncached tokens
     * through the model (all of them without a cache), positions from the mask.
     */
    private NDArray lastLogits(long[][] ids, long[][] mask, int len, KvCache cache) {
        int rows = ids.length;
        int past = cache == null ? 0 : (int) cache.length();
        int fresh = len - past;
        long[] freshIds = new long[rows * fresh];
        long[] fullMask = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ids[r], past, freshIds, r * fresh, fresh);
            System.arraycopy(mask[r], 0, fullMask, r * len, len);
        }
        NDArray maskArray = manager.create(fullMask, new Shape(rows, len));
        NDArray positions = CausalLm.positionIds(maskArray).get(new NDIndex(":, " + past + ":"));
        NDArray hidden = model.hiddenStates(manager.create(freshIds, new Shape(rows, fresh)), maskArray, positions, cache,
                ForwardContext.EVAL);
        return model.logits(hidden.get(new NDIndex(":, -1, :")), ForwardContext.EVAL);
    }

    // ---- beam search ----

    /** A finished hypothesis: its new tokens (EOS included when it ended on one) and its length-penalised score. */
    private record Hypothesis(long[] tokens, double score) {}

    private long[] beam(long[] prompt, GenerationSettings s) {
        int beams = s.numBeams();
        int maxLen = prompt.length + s.maxNewTokens();
        long[][] ids = new long[beams][maxLen];
        long[][] mask = new long[beams][maxLen];
        for (int r = 0; r < beams; r++) {
            System.arraycopy(prompt, 0, ids[r], 0, prompt.length);
            Arrays.fill(mask[r], 0, prompt.length, 1);
        }
        // only the first beam is live at the start (the others at -1e9), so step one draws distinct tokens
        double[] beamScores = new double[beams];
        for (int r = 1; r < beams; r++) beamScores[r] = -1e9;
        List<Hypothesis> hyps = new ArrayList<>();
        int keep = Math.max(1, 1 + s.eosTokenIds().size()) * beams;
        int len = prompt.length;
        boolean done = false;
        try (KvCache cache = s.useCache() ? new KvCache(model.layers().size()) : null) {
            while (len < maxLen && !done) {
                float[] top;
                long[] topIdx;
                long vocab;
                try (NDScope ignored = new NDScope()) {
                    NDArray logProbs = lastLogits(ids, mask, len, cache).logSoftmax(-1); // [beams, V]
                    vocab = logProbs.getShape().get(1);
                    NDArray scores = logProbs.add(manager.create(toFloats(beamScores), new Shape(beams, 1)))
                            .reshape(beams * vocab);
                    var topK = scores.topK(keep, 0, true, true);
                    top = topK.get(0).toFloatArray();
                    topIdx = topK.get(1).toLongArray();
                }
                int generatedLen = len + 1 - prompt.length; // the length these scores are computed on
                long[] nextTokens = new long[beams];
                int[] sourceBeam = new int[beams];
                double[] nextScores = new double[beams];
                int filled = 0;
                for (int rank = 0; rank < keep && filled < beams; rank++) {
                    int beam = (int) (topIdx[rank] / vocab);
                    long token = topIdx[rank] % vocab;
                    if (s.eosTokenIds().contains(token)) {
                        if (rank >= beams) continue; // an EOS below the top `beams` candidates is not a hypothesis
                        long[] tokens = Arrays.copyOfRange(ids[beam], prompt.length, len + 1);
                        tokens[tokens.length - 1] = token;
                        addHypothesis(hyps, beams, new Hypothesis(tokens, top[rank] / Math.pow(generatedLen, s.lengthPenalty())));
                    } else {
                        nextTokens[filled] = token;
                        sourceBeam[filled] = beam;
                        nextScores[filled] = top[rank];
                        filled++;
                    }
                }
                // early_stopping false: done when no live beam can beat the worst kept hypothesis
                if (hyps.size() >= beams) {
                    double best = top[0]; // candidates come sorted, best first
                    double attainable = best / Math.pow(generatedLen, s.lengthPenalty());
                    done = worst(hyps) >= attainable;
                }
                long[][] newIds = new long[beams][];
                for (int r = 0; r < beams; r++) {
                    newIds[r] = ids[sourceBeam[r]].clone();
                    newIds[r][len] = nextTokens[r];
                    mask[r][len] = 1;
                }
                ids = newIds;
                beamScores = nextScores;
                if (cache != null) {
                    long[] rows = new long[beams];
                    for (int r = 0; r < beams; r++) rows[r] = sourceBeam[r];
                    try (NDArray rowIndex = manager.create(rows)) {
                        cache.select(rowIndex);
                    }
                }
                len++;
            }
        }
        if (!done) {
            // finalize: the live beams become hypotheses too
            for (int r = 0; r < beams; r++) {
                long[] tokens = Arrays.copyOfRange(ids[r], prompt.length, len);
                addHypothesis(hyps, beams, new Hypothesis(tokens, beamScores[r] / Math.pow(len - prompt.length, s.lengthPenalty())));
            }
        }
        Hypothesis best = hyps.get(0);
        for (Hypothesis h : hyps) if (h.score() > best.score()) best = h;
        return best.tokens();
    }

    /** Keeps the best `beams` hypotheses (BeamHypotheses.add). */
    private static void addHypothesis(List<Hypothesis> hyps, int beams, Hypothesis h) {
        if (hyps.size() < beams || h.score() > worst(hyps)) {
            hyps.add(h);
            if (hyps.size() > beams) {
                int worstAt = 0;
                for (int i = 1; i < hyps.size(); i++) if (hyps.get(i).score() < hyps.get(worstAt).score()) worstAt = i;
                hyps.remove(worstAt);
            }
        }
    }

    private static double worst(List<Hypothesis> hyps) {
        double w = Double.POSITIVE_INFINITY;
        for (Hypothesis h : hyps) w = Math.min(w, h.score());
        return w;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
