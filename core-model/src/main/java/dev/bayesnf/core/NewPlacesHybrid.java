package dev.bayesnf.core;

import dev.bayesnf.core.kriging.ResidualKriging;

/**
 * The hybrid a model uses at places its training never observed (a map between stations), where
 * that differs from the one at observed places (gap filling at a station, a forecast there): for
 * data with time, the cross-validation by (place, time block) segments chooses the trend and the
 * calibration for observed places, and a second cross-validation by whole places chooses them for
 * new places ({@link HybridTrainer}, docs/MODEL.md "Observed places and new places").
 *
 * <p>Immutable (the trend's parameters are copied on the way in and out).
 *
 * @param kriging the kriging of this trend's residuals, with its own calibration and fallback
 * @param trend the parameters of the trend network when it is not the model's own network (the
 *     state of its training at fewer epochs), or null: the model's own network, or the constant
 *     trend of {@code kriging}
 */
public record NewPlacesHybrid(ResidualKriging kriging, float[][] trend) {
    public NewPlacesHybrid {
        if (kriging == null) {
            throw new IllegalArgumentException("the hybrid for new places needs its kriging");
        }
        trend = trend == null ? null : BayesNFModel.deepCopy(trend);
    }

    /** The trend network's parameters (a copy), or null for the model's own network or a constant. */
    @Override
    public float[][] trend() {
        return trend == null ? null : BayesNFModel.deepCopy(trend);
    }
}
