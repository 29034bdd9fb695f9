/**
 * AdaLoRA (Zhang et al. 2023) with Hugging Face PEFT's semantics (method-spec.md section 2).
 *
 * <p>Documented choices: steps are the trainer's 1-based optimizer steps; tinit / tfinal default to
 * floor(10%) / floor(20%) of the trial's total steps when unset (always tinit < T - tfinal); an explicit pair
 * with tinit >= T - tfinal is rejected with a message naming adalora.tinit / adalora.tfinal. Masking zeroes E
 * entries in place outside autograd; masked entries can regrow by the next optimizer step until they are
 * masked again (PEFT's behaviour), and from T - tfinal on the fixed final pattern is re-applied after every step.
 * state() records tinit, tfinal, the current budget, the kept rank per layer and the rank pattern.
 */
package dev.robustsweep.trainers.adapters.adalora;
