package dev.robustsweep.trainers.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The built-in model id "tiny-llama": a seeded RANDOM LLaMA-architecture decoder (2 layers, hidden
 * 64, 4 heads / 2 KV heads, FFN 128, byte-level vocabulary of 259) written to the cache on first use.
 * It is a machinery demo (quickstart, tests, CLI): it has never been trained and its generations are
 * noise. No pretrained LLaMA weights can be shipped with or downloaded by this tool.
 */
public final class TinyLlama {
    public static final String ID = "tiny-llama";
    public static final long SEED = 20240611L;
    public static final TinyDecoderFolder.Spec SPEC =
            new TinyDecoderFolder.Spec("llama", ByteLevelTokenizerJson.VOCAB, 64, 2, 4, 2, 128, false, false, null, 0.02, "F32", 1);
    /** Bump when the folder's content changes, so older caches are not reused. */
    private static final String VERSION = "v1";

    private TinyLlama() {}

    /** The cache folder (under ROBUSTSWEEP_CACHE or ~/.cache/robustsweep), written atomically on first use. */
    public static Path folder() {
        Path dir = EmbeddedMiniLm.cacheRoot().resolve(ID + "-" + VERSION);
        if (Files.isRegularFile(dir.resolve(ModelFolder.TOKENIZER))) return dir;
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + ID + "-");
            TinyDecoderFolder.write(tmp, SPEC, SEED);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isRegularFile(dir.resolve(ModelFolder.TOKENIZER))) throw raced; // another process won
                deleteTree(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new ModelLoadException(ID + ": cannot write the built-in demo model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Resolves a model string that may name the built-in decoder. */
    public static Path resolve(String model) {
        return ID.equals(model) ? folder() : EmbeddedMiniLm.resolve(model);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
