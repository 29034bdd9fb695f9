package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings of the Bayesian post-hoc baselines (method-spec.md section 9, paper Table 7). Each of
 * these methods trains the trial's LoRA fine-tune and changes only its predictive distribution,
 * except map, which adds the Gaussian prior to the training loss.
 */
public final class PosthocSettings {
    /** mc_dropout: S, forward passes with dropout on whose softmax outputs are averaged. */
    @JsonProperty("mc_samples") public int mcSamples = 10;
    /** checkpoint_ensemble: K, the last K epochs' checkpoints whose predictive probabilities are averaged. */
    @JsonProperty("ensemble_checkpoints") public int ensembleCheckpoints = 3;
    /** temperature: fraction of the training examples held out (seeded) to fit T; never the dev set. */
    @JsonProperty("holdout_fraction") public double holdoutFraction = 0.1;
    /**
     * map: coefficient w of the Gaussian prior on the LoRA weights, added to the mean training loss as
     * (w / 2) sum theta^2 (coupled L2 weight decay; prior precision w x n_train).
     */
    @JsonProperty("map_weight_decay") public double mapWeightDecay = 0.01;
    /** laplace_lora, llla: predictive of the linearised model, "probit" or "mc" (sampled logits). */
    @JsonProperty("laplace_predictive") public String laplacePredictive = "probit";
    /** laplace_lora, llla with "mc": logit samples per example. */
    @JsonProperty("laplace_samples") public int laplaceSamples = 100;
    /** laplace_lora, llla: a fixed prior precision; null = maximise the marginal likelihood. */
    @JsonProperty("laplace_prior_precision") public Double laplacePriorPrecision;
}
