package dev.bayesnf.core;

import static dev.bayesnf.core.NeuralFieldMath.HALF_LOG_TWO_PI;
import static dev.bayesnf.core.NeuralFieldMath.NOISE_FLOOR;
import static dev.bayesnf.core.NeuralFieldMath.digamma;
import static dev.bayesnf.core.NeuralFieldMath.logBeta;
import static dev.bayesnf.core.NeuralFieldMath.regularizedBeta;
import static dev.bayesnf.core.NeuralFieldMath.sigmoid;
import static dev.bayesnf.core.NeuralFieldMath.softplus;

import java.util.Locale;

/**
 * The observation model y | f(x), ν, κ, ζ of BayesNF (spec §4.4), with the log density, its
 * gradient and the per-component predictive quantities.
 *
 * <ul>
 *   <li>{@link #NORMAL}: y ~ Normal(f, 0.01 + e^ν).
 *   <li>{@link #NB}: negative binomial with TFP's convention, r = 1/softplus(κ) and logits
 *       ℓ = -log softplus(κ) - log softplus(f). This reproduces the reference's link exactly,
 *       including its quirk: the mean is 1/(s²·softplus(f)), not softplus(f) (spec §10.11).
 *   <li>{@link #ZINB}: π·δ₀ + (1-π)·NB with π = sigmoid(ζ).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public enum ObservationModel {
    NORMAL,
    NB,
    ZINB;

    /** Index of d/df in gradient arrays. */
    public static final int G_F = 0;
    /** Index of d/dν in gradient arrays. */
    public static final int G_NU = 1;
    /** Index of d/dκ in gradient arrays. */
    public static final int G_KAPPA = 2;
    /** Index of d/dζ in gradient arrays. */
    public static final int G_ZETA = 3;

    /** Parses "normal", "nb" or "zinb" (any case). */
    public static ObservationModel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown likelihood '" + text + "' (expected normal, nb or zinb)", e);
        }
    }

    /** Whether observations must be counts (non-negative). */
    public boolean isCount() {
        return this != NORMAL;
    }

    /**
     * log p(y | f, ν, κ, ζ); when {@code grad} is not null, adds d log p / d(f, ν, κ, ζ) to
     * grad[0..3] multiplied by {@code weight}.
     */
    public double logProb(double y, double f, double nu, double kappa, double zeta,
            double[] grad, double weight) {
        switch (this) {
            case NORMAL: {
                double e = Math.exp(nu);
                double sigma = NOISE_FLOOR + e;
                double r = (y - f) / sigma;
                if (grad != null) {
                    grad[G_F] += weight * r / sigma;
                    grad[G_NU] += weight * (r * r - 1) / sigma * e;
                }
                return -0.5 * r * r - Math.log(sigma) - HALF_LOG_TWO_PI;
            }
            case NB:
                return logNegBinom(y, f, kappa, grad, weight);
            case ZINB: {
                double logPi = -softplus(-zeta);
                double log1mPi = -softplus(zeta);
                double pi = sigmoid(zeta);
                if (y == 0) {
                    double[] nbGrad = grad == null ? null : new double[4];
                    double lnb0 = logNegBinom(0, f, kappa, nbGrad, 1);
                    double b = log1mPi + lnb0;
                    double m = Math.max(logPi, b);
                    double l = m + Math.log(Math.exp(logPi - m) + Math.exp(b - m));
                    if (grad != null) {
                        double wNb = Math.exp(b - l);
                        double wPi = Math.exp(logPi - l);
                        grad[G_F] += weight * wNb * nbGrad[G_F];
                        grad[G_KAPPA] += weight * wNb * nbGrad[G_KAPPA];
                        grad[G_ZETA] += weight * (wPi * (1 - pi) - wNb * pi);
                    }
                    return l;
                }
                if (grad != null) {
                    grad[G_ZETA] -= weight * pi;
                }
                return log1mPi + logNegBinom(y, f, kappa, grad, weight);
            }
            default:
                throw new AssertionError(this);
        }
    }

    private static double logNegBinom(double k, double f, double kappa, double[] grad, double weight) {
        double s = softplus(kappa);
        double m = softplus(f);
        double r = 1 / s;
        double logits = -Math.log(s) - Math.log(m);
        double spl = softplus(logits);
        double spml = softplus(-logits);
        double lp = -r * spl - k * spml - logBeta(1 + k, r) - Math.log(r + k);
        if (grad != null) {
            double dl = -r * sigmoid(logits) + k * sigmoid(-logits);
            double dr = -spl - digamma(r) + digamma(1 + k + r) - 1 / (r + k);
            double sk = sigmoid(kappa);
            grad[G_F] += weight * dl * (-sigmoid(f) / m);
            grad[G_KAPPA] += weight * (dl * (-sk / s) + dr * (-sk / (s * s)));
        }
        return lp;
    }

    /** Predictive mean of one component (spec §6.4): f, r·e^ℓ, or (1-π)·r·e^ℓ. */
    public double mean(double f, double nu, double kappa, double zeta) {
        switch (this) {
            case NORMAL:
                return f;
            case NB:
                return nbMean(f, kappa);
            case ZINB:
                return (1 - sigmoid(zeta)) * nbMean(f, kappa);
            default:
                throw new AssertionError(this);
        }
    }

    /** Predictive standard deviation of one component. */
    public double stddev(double f, double nu, double kappa, double zeta) {
        switch (this) {
            case NORMAL:
                return NOISE_FLOOR + Math.exp(nu);
            case NB: {
                double mu = nbMean(f, kappa);
                return Math.sqrt(mu + softplus(kappa) * mu * mu);
            }
            case ZINB: {
                double pi = sigmoid(zeta);
                double mu = nbMean(f, kappa);
                double var = mu + softplus(kappa) * mu * mu;
                return Math.sqrt((1 - pi) * (var + mu * mu) - Math.pow((1 - pi) * mu, 2));
            }
            default:
                throw new AssertionError(this);
        }
    }

    private static double nbMean(double f, double kappa) {
        double s = softplus(kappa);
        return 1 / (s * s * softplus(f));
    }

    /**
     * CDF of one component at x. For the count models this is TFP's continuous extension
     * I_{σ(-ℓ)}(r, 1 + x), 0 for x &lt; 0 (spec §6.4).
     */
    public double cdf(double x, double f, double nu, double kappa, double zeta) {
        switch (this) {
            case NORMAL:
                return NeuralFieldMath.normalCdf((x - f) / (NOISE_FLOOR + Math.exp(nu)));
            case NB:
                return nbCdf(x, f, kappa);
            case ZINB: {
                if (x < 0) {
                    return 0;
                }
                double pi = sigmoid(zeta);
                return pi + (1 - pi) * nbCdf(x, f, kappa);
            }
            default:
                throw new AssertionError(this);
        }
    }

    /** Probability of exactly zero for one component (count models); 0 for NORMAL. */
    public double probZero(double f, double nu, double kappa, double zeta) {
        if (this == NORMAL) {
            return 0;
        }
        double nb0 = Math.exp(logNegBinom(0, f, kappa, null, 0));
        if (this == NB) {
            return nb0;
        }
        double pi = sigmoid(zeta);
        return pi + (1 - pi) * nb0;
    }

    private static double nbCdf(double x, double f, double kappa) {
        if (x < 0) {
            return 0;
        }
        double s = softplus(kappa);
        double r = 1 / s;
        double logits = -Math.log(s) - Math.log(softplus(f));
        return regularizedBeta(sigmoid(-logits), r, 1 + x);
    }
}
