/**
 * MonteCLoRA (Sengupta et al.; method-spec.md section 3): {@link dev.robustsweep.trainers.adapters.monteclora.MonteCLoraAdapter}
 * (Algorithm 1), {@link dev.robustsweep.trainers.adapters.monteclora.MonteCLoraMethod} (losses, variants, state),
 * {@link dev.robustsweep.trainers.adapters.monteclora.WishartSampler} (Bartlett, CPU chi-square draws),
 * {@link dev.robustsweep.trainers.adapters.monteclora.DirichletSampler} (Laplace softmax-basis reparameterisation),
 * {@link dev.robustsweep.trainers.adapters.monteclora.KlDivergences} (eq. 19-22) and
 * {@link dev.robustsweep.trainers.adapters.monteclora.Digamma} (engine-op digamma with an autograd derivative).
 *
 * <p>Documented choices:
 * <ul>
 *   <li>Positivity: V = exp(v) and alpha = exp(log alpha); the parameters are v [r] and log alpha [N]
 *       ("...monteclora.wishart_log_scale", "...monteclora.dirichlet_log_concentration"), r + N per layer,
 *       without weight decay (the KL terms regularise them). Initialisation: v = 0 (V = I, the prior's
 *       scale, so KL_W = 0 at start); alpha = dirichlet_prior, or U(0, 1) per component with dirichlet_init random.</li>
 *   <li>Dirichlet reparameterisation: the Laplace approximation in the softmax basis, unbiased for symmetric
 *       alpha, biased towards uniform otherwise (0.017 max at alpha = (2, 3, 5, 10)). Attribution: the authors'
 *       active sampler (LCS2-IIITD/MonteCLoRA, peft/src/peft/tuners/tuners_utils.py, MonteCLoRASampler.forward)
 *       (the one their lora/layer.py and adalora/layer.py install) and PEFT's MonteCLoRA variant
 *       (tuners/lora/monteclora.py) both take softmax of the Laplace logits; the authors' MonteCLoRALinear
 *       class (same file, its use commented out) and an older commented-out sampler use sigmoid, then renormalise.</li>
 *   <li>W = sum_k pi_k C Z_k is computed as C (sum_k pi_k Z_k) (linearity): identical distribution and gradients,
 *       two small matmuls per layer.</li>
 *   <li>Sparse mixture: the one-hot argmax is used in the forward pass with a straight-through gradient to pi, so
 *       the data still trains alpha; the cooperative loss uses the dense pi.</li>
 *   <li>KL_N uses the closed form from the Bartlett factor (tr Sigma = sum_i V_i sum_j T_ij^2, ln|Sigma| = sum_i ln V_i
 *       + ln T_ii^2); KL_D is evaluated in float64.</li>
 *   <li>Post-hoc schedule (the authors' finetune.py, posthoc_app): the first ceil(epochs / 2) epochs train A, B and
 *       the head; the others only V and alpha (head frozen too), with a fresh AdamW and schedule at learning_rate x
 *       posthoc_lr_multiplier (default 5, the authors' learning_rate *= 5). Sampling and the KL terms are on in both
 *       phases (the authors' mc_training defaults to true).</li>
 * </ul>
 */
package dev.robustsweep.trainers.adapters.monteclora;
