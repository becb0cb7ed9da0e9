package dev.bayesnf.core;

import java.util.Locale;

/**
 * How the target is transformed before training and transformed back after prediction.
 *
 * <ul>
 *   <li>{@link #NONE}: the target as it is, as the reference does (spec §2.3). A raw-scale
 *       target far from unit scale (zinc in ppm, mean 480) is then explained as noise by the
 *       unit-scale priors and the noise scale initialised at std(y)/2, and the model predicts a
 *       near-constant map.
 *   <li>{@link #STANDARD}: z-scored with the training mean and population standard deviation;
 *       predictive means and quantiles are mapped back exactly (the map is affine). A departure
 *       from the reference, the default for the NORMAL likelihood (docs/MODEL.md).
 * </ul>
 * Count likelihoods (NB, ZINB) model counts and take {@link #NONE} only.
 */
public enum TargetScaling {
    NONE,
    STANDARD;

    /** Parses "none" or "standard" (any case). */
    public static TargetScaling parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown target scaling '" + text + "' (expected standard or none)", e);
        }
    }

    /** The default for a likelihood: {@link #STANDARD} for NORMAL, {@link #NONE} for counts. */
    public static TargetScaling defaultFor(ObservationModel likelihood) {
        return likelihood == null || likelihood == ObservationModel.NORMAL ? STANDARD : NONE;
    }

    /** The name used in files, options and documents: "none" or "standard". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
