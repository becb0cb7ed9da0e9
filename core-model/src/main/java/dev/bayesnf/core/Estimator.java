package dev.bayesnf.core;

import java.util.Locale;

/** Inference method (spec §6): MAP and MLE ensembles, or mean-field variational inference. */
public enum Estimator {
    /** Maximum a posteriori ensemble (prior weight 1). */
    MAP,
    /** Maximum likelihood ensemble (no prior term). */
    MLE,
    /** Variational inference with mean-field Normal surrogates. */
    VI;

    /** Parses "map", "mle" or "vi" (any case). */
    public static Estimator parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown estimator '" + text + "' (expected map, mle or vi)", e);
        }
    }

    /** The reference's default learning rate: 0.005 for MAP/MLE, 0.01 for VI. */
    public double defaultLearningRate() {
        return this == VI ? 0.01 : 0.005;
    }
}
