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

    @Test
    void fullFineTuningOf7bDoesNotFit80Gb() {
        DecoderConfig c = llama7b();
        long all = MemoryEstimate.baseParameters(c);
        MemoryEstimate full = MemoryEstimate.of(c, new MemoryEstimate.Plan(all, 0, 1, 256, true, List.of(), false));
        // 16 bytes per parameter (weight, gradient, two AdamW moments) = 108 GB before activations
        assertTrue(full.refusal(GPU_80GB, "cuda:0") != null);
    }
}
