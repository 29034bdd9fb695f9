package dev.robustsweep.trainers.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.robustsweep.trainers.weights.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes sentences and sentence pairs with the model's tokenizer.json (DJL's Hugging Face
 * tokenizers): special tokens added, truncation to max_seq_length (longest-first for pairs), no
 * padding here (batches pad dynamically, see {@link Batcher}).
 */
public final class TextEncoder implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    public TextEncoder(Path tokenizerJson, int maxSeqLength) {
        if (!Files.isRegularFile(tokenizerJson)) throw new ModelLoadException(tokenizerJson + ": tokenizer.json missing");
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true)
                    .optTruncation(true) // longest_first
                    .optMaxLength(maxSeqLength)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    public TokenizedExample encode(String text, String textPair, int label) {
        Encoding e = textPair == null ? tokenizer.encode(text) : tokenizer.encode(text, textPair);
        return new TokenizedExample(e.getIds(), e.getTypeIds(), label);
    }

    public List<TokenizedExample> encodeAll(List<Example> examples) {
        List<TokenizedExample> out = new ArrayList<>(examples.size());
        for (Example ex : examples) out.add(encode(ex.text(), ex.textPair(), ex.label()));
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
