package dev.robustsweep.trainers.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal byte-level tokenizer.json for random demo and test decoders: GPT-2's ByteLevel
 * pre-tokenizer and a BPE model without merges, so every UTF-8 byte is one token (id 3 + byte),
 * after the LLaMA special tokens &lt;unk&gt; 0, &lt;s&gt; 1, &lt;/s&gt; 2; encoding prepends &lt;s&gt; as LLaMA's does.
 * Vocabulary size {@link #VOCAB}.
 */
public final class ByteLevelTokenizerJson {
    public static final int VOCAB = 259;
    public static final int UNK = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;

    private ByteLevelTokenizerJson() {}

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n in byte order. */
    static String[] byteSymbols() {
        List<Integer> printable = new ArrayList<>();
        for (int c = '!'; c <= '~'; c++) printable.add(c);
        for (int c = 0xA1; c <= 0xAC; c++) printable.add(c);
        for (int c = 0xAE; c <= 0xFF; c++) printable.add(c);
        String[] out = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            int code = printable.contains(b) ? b : 256 + n++;
            out[b] = new String(Character.toChars(code));
        }
        return out;
    }

    public static void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < specials.length; i++) {
            ObjectNode t = added.addObject();
            t.put("id", i);
            t.put("content", specials[i]);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(BOS);
        bos.putArray("tokens").add("<s>");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", true);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < specials.length; i++) vocab.put(specials[i], i);
        String[] symbols = byteSymbols();
        for (int b = 0; b < 256; b++) vocab.put(symbols[b], 3 + b);
        model.putArray("merges");
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
