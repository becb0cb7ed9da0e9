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

    /**
     * E[max(Y, b)] for Y = g⁻¹(X), X ~ N(m, s²) on the model's scale (after the affine map): for the
     * identity b·Φ(a) + m·(1 − Φ(a)) + s·φ(a) with a = (b − m)/s; for log, with b > 0,
     * b·Φ(a) + exp(m + s²/2)·Φ(s − a) with a = (ln b − m)/s (and log1p as log of 1 + y); a bound the
     * transform cannot reach (b ≤ 0 for log) changes nothing.
     */
    public double censoredMeanOfNormal(double m, double s, double b) {
        if (transforms()) {
            double shifted = this == LOG1P ? b + 1 : b;
            double lognormal = Math.exp(m + 0.5 * s * s);
            double mean;
            if (!(shifted > 0)) {
                mean = lognormal;
            } else if (s <= 0) {
                mean = Math.max(Math.exp(m), shifted);
            } else {
                double a = (Math.log(shifted) - m) / s;
                mean = shifted * NeuralFieldMath.normalCdf(a) + lognormal * NeuralFieldMath.normalCdf(s - a);
            }
            return this == LOG1P ? mean - 1 : mean;
        }
        if (s <= 0) {
            return Math.max(m, b);
        }
        double a = (b - m) / s;
        double cdf = NeuralFieldMath.normalCdf(a);
        return b * cdf + m * (1 - cdf) + s * Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
    }

    /** The name used in files, options and documents: "none", "standard", "log" or "log1p". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
