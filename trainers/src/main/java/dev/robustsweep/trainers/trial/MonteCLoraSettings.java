package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonProperty;

/** MonteCLoRA settings (method-spec.md section 3; defaults are the paper's Table 4). */
public final class MonteCLoraSettings {
    /** N, number of Gaussian mixture components. */
    @JsonProperty("mixtures") public int mixtures = 4;
    /** epsilon, scale of the stochastic part: A_used = A + epsilon W. */
    @JsonProperty("sample_scaler") public double sampleScaler = 5e-3;
    /** eta, weight of the KL terms. */
    @JsonProperty("kl_weight") public double klWeight = 1e-5;
    /** a0, concentration of the Dirichlet prior. */
    @JsonProperty("dirichlet_prior") public double dirichletPrior = 1.0;
    /** nu, Wishart degrees of freedom; null = r. */
    @JsonProperty("wishart_dof") public Double wishartDof = null;
    /** Add the cooperative loss sum(pi^2) (eq. 22). */
    @JsonProperty("cooperative_loss") public boolean cooperativeLoss = true;
    /** Initial Dirichlet concentration: "prior" (alpha = a0) or "random" (alpha ~ U(0,1)). */
    @JsonProperty("dirichlet_init") public String dirichletInit = "prior";
    /** "dense" (W = sum pi_k S_k) or "sparse" (only argmax_k pi_k). */
    @JsonProperty("mixture") public String mixture = "dense";
    /**
     * "joint", or "posthoc": the first ceil(epochs / 2) epochs train A, B and the head; the rest train only
     * V and alpha, with a fresh optimizer and schedule (the authors' finetune.py).
     */
    @JsonProperty("schedule") public String schedule = "joint";
    /**
     * Post-hoc phase 2 learning rate = learning_rate x this (the authors' finetune.py: learning_rate *= 5
     * unless learning_rate_coop is given).
     */
    @JsonProperty("posthoc_lr_multiplier") public double posthocLrMultiplier = 5.0;
    /**
     * Evaluation: 0 = the mean (A_used = A, as LoRA: the paper's default); S > 0 = the Bayesian model
     * average of S forward passes, each with A_used sampled as in training (dropout off).
     */
    @JsonProperty("bma_samples") public int bmaSamples = 0;
}
