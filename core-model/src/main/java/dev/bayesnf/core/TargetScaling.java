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
 *   <li>{@link #SQRT}: √y, then z-scored as {@link #STANDARD}: the variance-stabilising transform
 *       of counts and the usual analysis of wind speed (Haslett and Raftery 1989, Ireland's daily
 *       wind; gstat's demo of the same data), for a target that is never negative and may be 0.
 *       Back in the target's units a value v on this scale is max(v, 0)²: quantiles map back
 *       exactly (the map is monotone, flat below 0, so the distribution of y has its mass below 0
 *       at 0), and the mean of a normal component N(m, s^2) is E[max(X, 0)^2] =
 *       (m^2 + s^2)·Φ(m/s) + m·s·φ(m/s).
 * </ul>
 * Count likelihoods (NB, ZINB) model counts and take {@link #NONE} only.
 */
public enum TargetScaling {
    NONE,
    STANDARD,
    LOG,
    LOG1P,
    SQRT;

    /** Parses "none", "standard", "log", "log1p" or "sqrt" (any case). */
    public static TargetScaling parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown target scaling '" + text
                    + "' (expected standard, none, log, log1p or sqrt)", e);
        }
    }

    /** Whether the (transformed) target is z-scored: all but {@link #NONE}. */
    public boolean standardizes() {
        return this != NONE;
    }

    /** Whether the target is transformed (log, log1p, square root) before it is z-scored. */
    public boolean transforms() {
        return this == LOG || this == LOG1P || this == SQRT;
    }

    /** Whether {@code y} can be transformed: positive for log, above -1 for log1p, not negative for sqrt. */
    public boolean accepts(double y) {
        return switch (this) {
            case LOG -> y > 0;
            case LOG1P -> y > -1;
            case SQRT -> y >= 0;
            default -> true;
        };
    }

    /** What {@link #accepts} asks of a value, for a message: "values above 0" and the like. */
    public String domain() {
        return switch (this) {
            case LOG -> "values above 0";
            case LOG1P -> "values above -1";
            case SQRT -> "values of 0 or more";
            default -> "numbers";
        };
    }

    /** The target on the scale the model works on (before z-scoring): y, log(y), log(1 + y) or √y. */
    public double forward(double y) {
        return switch (this) {
            case LOG -> Math.log(y);
            case LOG1P -> Math.log1p(y);
            case SQRT -> Math.sqrt(y);
            default -> y;
        };
    }

    /** Back to the target's units: v, exp(v), exp(v) - 1 or max(v, 0)². */
    public double inverse(double v) {
        return switch (this) {
            case LOG -> Math.exp(v);
            case LOG1P -> Math.expm1(v);
            case SQRT -> v > 0 ? v * v : 0;
            default -> v;
        };
    }

    /**
     * The mean, in the target's units, of a normal N(m, s^2) on the transformed scale: m, the
     * log-normal's exp(m + s^2/2) (minus 1 for log1p), or for sqrt E[max(X, 0)^2].
     */
    public double meanOfNormal(double m, double s) {
        return switch (this) {
            case LOG -> Math.exp(m + 0.5 * s * s);
            case LOG1P -> Math.expm1(m + 0.5 * s * s);
            case SQRT -> squareAbove(m, s, 0);
            default -> m;
        };
    }

    /**
     * c²·Φ(a) + E[X²; X > c] for X ~ N(m, s²), c ≥ 0, a = (c − m)/s: the mean of max(X, c)², with
     * E[X²; X > c] = (m² + s²)(1 − Φ(a)) + s·(m + c)·φ(a).
     */
    private static double squareAbove(double m, double s, double c) {
        if (s <= 0) {
            double v = Math.max(m, c);
            return v * v;
        }
        double a = (c - m) / s;
        double tail = 1 - NeuralFieldMath.normalCdf(a);
        double density = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
        return c * c * (1 - tail) + (m * m + s * s) * tail + s * (m + c) * density;
    }

    /** The default for a likelihood: {@link #STANDARD} for NORMAL, {@link #NONE} for counts. */
    public static TargetScaling defaultFor(ObservationModel likelihood) {
        return likelihood == null || likelihood == ObservationModel.NORMAL ? STANDARD : NONE;
    }

    /**
     * E[max(Y, b)] for Y = g⁻¹(X), X ~ N(m, s²) on the model's scale (after the affine map): for the
     * identity b·Φ(a) + m·(1 − Φ(a)) + s·φ(a) with a = (b − m)/s; for log, with b > 0,
     * b·Φ(a) + exp(m + s²/2)·Φ(s − a) with a = (ln b − m)/s (and log1p as log of 1 + y); a bound the
     * transform cannot reach (b ≤ 0 for log) changes nothing; for sqrt, max(X, √b)² (b > 0).
     */
    public double censoredMeanOfNormal(double m, double s, double b) {
        if (this == SQRT) {
            // Y = max(X, 0)² ≥ 0, so max(Y, b) = max(X, √b)² for b > 0, and a bound at or below 0 changes nothing
            return squareAbove(m, s, b > 0 ? Math.sqrt(b) : 0);
        }
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

    /** The name used in files, options and documents: "none", "standard", "log", "log1p" or "sqrt". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
