package dev.bayesnf.core.compute;

import dev.bayesnf.core.Checks;
import dev.bayesnf.core.ObservationModel;

/**
 * What one training step minimises and how it updates (spec §5, §6).
 *
 * <p>Point estimates (MAP, MLE): state = θ (P values per particle);
 * loss(θ; B) = -[(N/|B|) log p(y_B | θ) + priorWeight · log p(θ)].
 *
 * <p>Variational (VI): state = (μ, ρ) (2P values per surrogate), q = Normal(μ, 1e-4 + softplus(ρ));
 * loss = (1/S) Σ_s [log q(θ_s) - log p(θ_s) - (N/|B|) log p(y_B | θ_s) / klWeight] with
 * θ_s = μ + σ ε_s (reparameterised, spec §5.4).
 *
 * <p>Both are optimised by Adam (β1 0.9, β2 0.999, ε 1e-8, constant learning rate, spec §6.1).
 *
 * @param likelihood the observation model
 * @param variational whether this is VI
 * @param priorWeight 1 for MAP and VI, 0 for MLE (no prior term at all)
 * @param klWeight VI only: the likelihood is divided by it
 * @param mcSamples VI only: S, Monte Carlo samples per step
 * @param learningRate Adam step size
 * @param datasetRows N, the number of training rows (scales batch likelihoods by N/|B|)
 */
public record Objective(ObservationModel likelihood, boolean variational, double priorWeight,
        double klWeight, int mcSamples, double learningRate, int datasetRows) {
    /** Adam β1. */
    public static final double BETA1 = 0.9;
    /** Adam β2. */
    public static final double BETA2 = 0.999;
    /** Adam ε. */
    public static final double EPSILON = 1e-8;
    /** The additive floor of VI surrogate scales. */
    public static final double SCALE_FLOOR = 1e-4;

    public Objective {
        Checks.ensurePositive("learning rate", learningRate);
        Checks.ensurePositive("number of training rows", datasetRows);
        if (variational) {
            Checks.ensurePositive("kl weight", klWeight);
            Checks.ensurePositive("Monte Carlo samples", mcSamples);
        }
    }

    /** Number of state values per ensemble member: P, or 2P for VI. */
    public int stateSize(int parameterCount) {
        return variational ? 2 * parameterCount : parameterCount;
    }
}
