/**
 * AdaLoRA (Zhang et al. 2023) with Hugging Face PEFT's semantics (method-spec.md section 2).
 *
 * <p>Documented choices: steps are the trainer's 1-based optimizer steps; every setting defaults to PEFT's
 * AdaLoraConfig (init_r 12, target_r 8, tinit 0, tfinal 0, deltaT 1, beta1 = beta2 = 0.85, orth_reg_weight 0.5);
 * the named option phase_defaults: fractions makes unset tinit / tfinal floor(10%) / floor(20%) of the trial's
 * total steps instead (either default pair keeps tinit < T - tfinal); an explicit pair
 * with tinit >= T - tfinal is rejected with a message naming adalora.tinit / adalora.tfinal. Masking zeroes E
 * entries in place outside autograd; masked entries can regrow by the next optimizer step until they are
 * masked again (PEFT's behaviour), and from T - tfinal on the fixed final pattern is re-applied after every step.
 * state() records tinit, tfinal, the current budget, the kept rank per layer and the rank pattern.
 */
package dev.robustsweep.trainers.adapters.adalora;
