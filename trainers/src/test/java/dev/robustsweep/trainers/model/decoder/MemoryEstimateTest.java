package dev.robustsweep.trainers.model.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The LLaMA-7B memory arithmetic of docs/decoders.md. */
class MemoryEstimateTest {
    static final List<String> AUTHORS_MODULES = List.of("q_proj", "k_proj", "v_proj", "up_proj", "down_proj");
    static final long GPU_80GB = 80L * 1024 * 1024 * 1024;

    static DecoderConfig llama7b() {
        DecoderConfig c = new DecoderConfig();
        c.modelType = "llama";
        c.vocabSize = 32000;
        c.hiddenSize = 4096;
        c.intermediateSize = 11008;
        c.numHiddenLayers = 32;
        c.numAttentionHeads = 32;
        return c;
    }

    static MemoryEstimate lora(int microBatch, boolean checkpointing) {
        DecoderConfig c = llama7b();
        long lora = MemoryEstimate.loraParameters(c, AUTHORS_MODULES, 32);
        return MemoryEstimate.of(c, new MemoryEstimate.Plan(lora, lora, microBatch, 256, checkpointing,
                MemoryEstimate.inputWidths(c, AUTHORS_MODULES), true));
    }

    @Test
    void llama7bParameterCountsAreTheKnownOnes() {
        // LLaMA-7B: 6,738,415,616 parameters (Touvron et al.; HF's num_parameters())
        assertEquals(6_738_415_616L, MemoryEstimate.baseParameters(llama7b()));
        // r 32 on q, k, v, up, down: 32 x (3 x 8192 + 2 x 15104) per layer x 32 layers
        assertEquals(56_098_816L, MemoryEstimate.loraParameters(llama7b(), AUTHORS_MODULES, 32));
    }

    @Test
    void llama7bLoraFitsOne80GbGpuWithCheckpointingAndIsRefusedWithoutAtMicroBatch16() {
        MemoryEstimate withCkpt = lora(16, true);
        MemoryEstimate without = lora(16, false);
        MemoryEstimate small = lora(4, false);
        for (MemoryEstimate e : List.of(withCkpt, without, small)) System.out.println("llama-7b lora: " + e);
        assertNull(withCkpt.refusal(GPU_80GB, "cuda:0"));
        assertNull(small.refusal(GPU_80GB, "cuda:0"));
        String why = without.refusal(GPU_80GB, "cuda:0");
        assertTrue(why != null && why.contains("cuda:0") && why.contains("activation checkpointing"), why);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> without.requireFits(GPU_80GB, "cuda:0"));
        assertEquals(why, e.getMessage());
        // weights dominate with checkpointing: 4 bytes x 6.79e9
        assertEquals(4 * (6_738_415_616L + 56_098_816L), withCkpt.weightBytes());
        assertTrue(withCkpt.activationBytes() < without.activationBytes() / 10);
    }

    static MemoryEstimate loraBf16(int microBatch, boolean checkpointing) {
        DecoderConfig c = llama7b();
        long lora = MemoryEstimate.loraParameters(c, AUTHORS_MODULES, 32);
        return MemoryEstimate.of(c, new MemoryEstimate.Plan(lora, lora, microBatch, 256, checkpointing,
                MemoryEstimate.inputWidths(c, AUTHORS_MODULES), true, true));
    }

    @Test
    void bf16AutocastAddsItsBf16CopiesAndLlama7bLoraStillFits() {
        MemoryEstimate fp32 = lora(16, true);
        MemoryEstimate bf16 = loraBf16(16, true);
        System.out.println("llama-7b lora bf16: " + bf16 + " / " + loraBf16(4, false));
        assertEquals(0, fp32.autocastBytes());
        // one layer's linear weights (4 x 4096^2 + 3 x 4096 x 11008) and the head's (32000 x 4096), 2 bytes each
        long weightCopies = 2 * (4L * 4096 * 4096 + 3L * 4096 * 11008 + 32000L * 4096);
        // per token of the one kept layer: linear inputs 7 x 4096 + 11008 (q,k,v,o,gate,up: 4096; down: 11008),
        // adapter branches 4 x 4096 + 11008, attention operands q 4096 + k, v 2 x 4096 + probabilities 32 x 256
        long perToken = 6 * 4096 + 11008 + 4 * 4096 + 11008 + 4096 + 2 * 4096 + 32 * 256;
        long tokens = 16 * 256;
        assertEquals(weightCopies + 2 * perToken * tokens + 2L * 32000 * tokens, bf16.autocastBytes());
        assertEquals(fp32.weightBytes(), bf16.weightBytes()); // float32 master weights either way
        assertTrue(bf16.totalBytes() > fp32.totalBytes());
        assertNull(bf16.refusal(GPU_80GB, "cuda:0"));
        assertNull(loraBf16(4, false).refusal(GPU_80GB, "cuda:0"));
        assertTrue(loraBf16(16, false).refusal(GPU_80GB, "cuda:0").contains("bf16 copies"));
    }

    @Test
    void fullFineTuningOf7bDoesNotFit80Gb() {
        DecoderConfig c = llama7b();
        long all = MemoryEstimate.baseParameters(c);
        MemoryEstimate full = MemoryEstimate.of(c, new MemoryEstimate.Plan(all, 0, 1, 256, true, List.of(), false));
        // 16 bytes per parameter (weight, gradient, two AdamW moments) = 108 GB before activations
        assertTrue(full.refusal(GPU_80GB, "cuda:0") != null);
    }
}
