package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A config.json setting the encoder does not implement is refused, not silently ignored. */
class EncoderConfigTest {
    static final String BASE = "{\"model_type\": \"bert\", \"vocab_size\": 10, \"hidden_size\": 8, \"num_hidden_layers\": 1,"
            + " \"num_attention_heads\": 2, \"intermediate_size\": 16, \"max_position_embeddings\": 64";

    @Test
    void relativePositionEmbeddingsAreRefused() throws Exception {
        EncoderConfig c = new ObjectMapper().readValue(BASE + ", \"position_embedding_type\": \"relative_key\"}", EncoderConfig.class);
        assertEquals("position_embedding_type: only absolute is supported, got 'relative_key'", c.check());
        assertNull(new ObjectMapper().readValue(BASE + "}", EncoderConfig.class).check());
    }

    @Test
    void maxSequenceLengthLeavesRobertasOffset() throws Exception {
        EncoderConfig bert = new ObjectMapper().readValue(BASE + "}", EncoderConfig.class);
        assertEquals(64, bert.maxSequenceLength());
        EncoderConfig roberta = new ObjectMapper().readValue(BASE.replace("bert", "roberta").replace("64", "514") + ", \"pad_token_id\": 1}", EncoderConfig.class);
        assertEquals(512, roberta.maxSequenceLength()); // positions 2..513: padding_idx 1 + 1 onwards
    }
}
