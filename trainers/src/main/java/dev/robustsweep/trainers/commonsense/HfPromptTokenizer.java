package dev.robustsweep.trainers.commonsense;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.robustsweep.trainers.weights.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A decoder's tokenizer.json (DJL's Hugging Face tokenizers): its own special tokens added, no truncation, no padding. */
public final class HfPromptTokenizer implements PromptTokenizer, AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    public HfPromptTokenizer(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) throw new ModelLoadException(tokenizerJson + ": tokenizer.json missing");
        try {
            tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
