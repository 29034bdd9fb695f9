package dev.robustsweep.trainers.oracle;

import dev.robustsweep.trainers.data.TokenizedExample;
import java.util.SplittableRandom;

/** Inputs the oracle tests feed to Java and to the torch references alike. */
final class OracleInputs {
    private OracleInputs() {}

    /**
     * A random sequence of {@code n} ids framed by the model type's special tokens (BERT [CLS] 101 ... [SEP]
     * 102 with token types 0 then 1 from the middle; RoBERTa &lt;s&gt; 0 ... &lt;/s&gt; 2, types 0), ids drawn from
     * 1000..5999.
     */
    static TokenizedExample sequence(boolean roberta, int n, SplittableRandom rng, int label) {
        long[] ids = new long[n];
        long[] types = new long[n];
        for (int j = 0; j < n; j++) {
            ids[j] = j == 0 ? (roberta ? 0 : 101) : j == n - 1 ? (roberta ? 2 : 102) : 1000 + rng.nextInt(5000);
            types[j] = !roberta && j >= n / 2 ? 1 : 0;
        }
        return new TokenizedExample(ids, types, label);
    }
}
