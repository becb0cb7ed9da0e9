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
 *   <li>{@link #LOG}, {@link #LOG1P}: log(y) or log(1 + y), then z-scored as {@link #STANDARD}:
 *       the usual analysis of a positive, right-skewed quantity (zinc in ppm; rainfall with zeros
 *       for log1p), whose predictive intervals then stay positive (above -1 for log1p). Everything
 *       the model does (training, cross-validation, residual kriging) happens on that scale;
 *       quantiles are transformed back exactly (the map is monotone) and the mean of each normal
 *       component N(m, s^2) of the predictive mixture becomes exp(m + s^2/2) (minus 1 for log1p),
 *       the mean of the log-normal, so the mean is exact for the mixture too.
 * </ul>
 * Count likelihoods (NB, ZINB) model counts and take {@link #NONE} only.
 */
public enum TargetScaling {
    NONE,
    STANDARD,
    LOG,
    LOG1P;

    /** Parses "none", "standard", "log" or "log1p" (any case). */
    public static TargetScaling parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown target scaling '" + text
                    + "' (expected standard, none, log or log1p)", e);
        }
    }

    /** Whether the (transformed) target is z-scored: all but {@link #NONE}. */
    public boolean standardizes() {
        return this != NONE;
    }

    /** Whether the target is log-transformed before it is z-scored. */
    public boolean transforms() {
        return this == LOG || this == LOG1P;
    }

    /** Whether {@code y} can be transformed: positive for log, above -1 for log1p. */
    public boolean accepts(double y) {
        return this == LOG ? y > 0 : this != LOG1P || y > -1;
    }

    /** The target on the scale the model works on (before z-scoring): y, log(y) or log(1 + y). */
    public double forward(double y) {
        return this == LOG ? Math.log(y) : this == LOG1P ? Math.log1p(y) : y;
    }

    /** Back to the target's units: v, exp(v) or exp(v) - 1. */
    public double inverse(double v) {
        return this == LOG ? Math.exp(v) : this == LOG1P ? Math.expm1(v) : v;
    }

    /**
     * The mean, in the target's units, of a normal N(m, s^2) on the transformed scale: m, or the
     * log-normal's exp(m + s^2/2) (minus 1 for log1p).
     */
    public double meanOfNormal(double m, double s) {
        return this == LOG ? Math.exp(m + 0.5 * s * s) : this == LOG1P ? Math.expm1(m + 0.5 * s * s) : m;
    }

    /** The default for a likelihood: {@link #STANDARD} for NORMAL, {@link #NONE} for counts. */
    public static TargetScaling defaultFor(ObservationModel likelihood) {
        return likelihood == null || likelihood == ObservationModel.NORMAL ? STANDARD : NONE;
    }

    /** The name used in files, options and documents: "none", "standard", "log" or "log1p". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
