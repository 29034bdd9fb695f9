package dev.robustsweep.trainers.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderFolderTest {
    static final TinyDecoderFolder.Spec SPEC =
            new TinyDecoderFolder.Spec("llama", 259, 16, 1, 2, 1, 32, false, false, null, 0.1, "F32", 1);

    @TempDir Path dir;

    @Test
    void shardedFolderListsEveryTensorAndChecksumsTheShards() throws Exception {
        Path single = TinyDecoderFolder.write(dir.resolve("single"), SPEC, 1);
        Path sharded = TinyDecoderFolder.write(dir.resolve("sharded"), SPEC.withStorage("BF16", 3), 1);
        assertTrue(Files.isRegularFile(sharded.resolve("model.safetensors.index.json")));
        assertTrue(Files.isRegularFile(sharded.resolve("model-00003-of-00003.safetensors")));
        DecoderFolder a = DecoderFolder.load(single);
        DecoderFolder b = DecoderFolder.load(sharded);
        assertEquals(a.weights().keySet(), b.weights().keySet());
        assertEquals("BF16", b.weights().get("lm_head.weight").dtype());
        assertTrue(b.checksum().startsWith("sha256:"));
        assertTrue(DecoderFolder.isDecoder(sharded));
        assertFalse(DecoderFolder.isDecoder(TinyModelFolder.write(dir.resolve("bert"), "bert", 1)));
        // BF16 storage: each weight is the float rounded to 8 mantissa bits
        float[] f32 = toArray(a.require("model.norm.weight", 16));
        float[] bf16 = toArray(b.require("model.norm.weight", 16));
        for (int i = 0; i < f32.length; i++) assertEquals(f32[i], bf16[i], Math.abs(f32[i]) / 256, "element " + i);
    }

    @Test
    void onlyTokenizerModelSaysHowToProduceTokenizerJson() throws Exception {
        Path m = TinyDecoderFolder.write(dir.resolve("spm"), SPEC, 1);
        Files.delete(m.resolve("tokenizer.json"));
        Files.writeString(m.resolve("tokenizer.model"), "sentencepiece");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderFolder.load(m));
        assertTrue(e.getMessage().contains("tokenizer.model") && e.getMessage().contains("save_pretrained"), e.getMessage());
    }

    @Test
    void configAndWeightProblemsNameTheFileAndKey() throws Exception {
        Path m = TinyDecoderFolder.write(dir.resolve("bad"), SPEC, 1);
        String config = Files.readString(m.resolve("config.json"));
        Files.writeString(m.resolve("config.json"), config.replace("\"num_key_value_heads\" : 1", "\"num_key_value_heads\" : 3"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderFolder.load(m));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("num_key_value_heads"), e.getMessage());
        Files.writeString(m.resolve("config.json"), config);
        DecoderFolder ok = DecoderFolder.load(m);
        ModelLoadException shape = assertThrows(ModelLoadException.class, () -> ok.require("lm_head.weight", 259, 17));
        assertTrue(shape.getMessage().contains("lm_head.weight") && shape.getMessage().contains("[259, 16]"), shape.getMessage());
        Files.delete(m.resolve("model.safetensors"));
        ModelLoadException none = assertThrows(ModelLoadException.class, () -> DecoderFolder.load(m));
        assertTrue(none.getMessage().contains("model.safetensors.index.json"), none.getMessage());
    }

    @Test
    void byteLevelTokenizerEncodesBytesAfterBosAndDecodesBack() throws Exception {
        Path m = TinyDecoderFolder.write(dir.resolve("tok"), SPEC, 1);
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(m.resolve("tokenizer.json"))) {
            String text = "Hi é";
            Encoding e = t.encode(text);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            long[] expected = new long[bytes.length + 1];
            expected[0] = ByteLevelTokenizerJson.BOS;
            for (int i = 0; i < bytes.length; i++) expected[i + 1] = 3 + (bytes[i] & 0xff);
            assertArrayEquals(expected, e.getIds());
            assertEquals(text, t.decode(e.getIds(), true).strip());
        }
    }

    private static float[] toArray(Tensor t) {
        float[] f = new float[(int) t.size()];
        t.data().duplicate().rewind().get(f);
        return f;
    }
}
