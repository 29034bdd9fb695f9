package dev.robustsweep.trainers.model.decoder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.robustsweep.trainers.weights.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A decoder's tokenizer.json (DJL's Hugging Face tokenizers): text to ids with the tokenizer's own
 * special tokens (LLaMA: BOS first, no EOS), no truncation or padding; ids back to text.
 */
public final class DecoderTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer plain;

    public DecoderTokenizer(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) throw new ModelLoadException(tokenizerJson + ": tokenizer.json missing");
        try {
            tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build();
            plain = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    /** Ids with the tokenizer's special tokens (e.g. LLaMA's BOS). */
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** Ids without special tokens (to append a continuation, e.g. an answer). */
    public long[] encodePlain(String text) {
        return plain.encode(text).getIds();
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
        plain.close();
    }
}
