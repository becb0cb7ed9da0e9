package dev.bayesnf.core;

import java.util.function.DoubleBinaryOperator;

/**
 * The mean and quantiles of the equal-weight mixture of the components' observation models, row by
 * row ({@link BayesNFPredictor}, spec §6.4): quantiles by bracketed root finding (Chandrupatla's
 * method); NB/ZINB quantiles ceiled and set to 0 where the mixture's P(Y = 0) exceeds the level.
 * Stateless.
 */
final class MixtureSummary {
    private MixtureSummary() {}

    /** Mixture mean and quantiles of rows {@code from..to-1} of the component outputs {@code f}. */
    static void summarize(ObservationModel lik, float[][] f, double[] nu, double[] kappa, double[] zeta,
            double[] levels, double[] mean, double[][] quant, int offset, int from, int to, DoubleBinaryOperator meanOf) {
        int k = nu.length;
        double[] mu = new double[k];
        double[] sd = new double[k];
        double[] fr = new double[k];
        double[] sums = new double[4];
        for (int i = from; i < to; i++) {
            components(lik, f, i, nu, kappa, zeta, meanOf, fr, mu, sd, sums);
            double lo = sums[1];
            double hi = sums[2];
            double maxSd = sums[3];
            mean[offset + i] = sums[0] / k;
            for (int j = 0; j < levels.length; j++) {
                double q = levels[j];
                double a;
                double b;
                if (lik == ObservationModel.NORMAL) {
                    a = lo - 5 * maxSd;
                    b = hi + 5 * maxSd;
                } else {
                    a = 0;
                    b = hi + 1.1 * maxSd / Math.sqrt(1 - q);
                }
                final int row = i;
                double root = RootFinding.chandrupatla(xv -> cdf(lik, xv, fr, nu, kappa, zeta) - q, a, b);
                if (lik.isCount()) {
                    root = Math.ceil(root);
                    double p0 = 0;
                    for (int c = 0; c < k; c++) {
                        p0 += lik.probZero(fr[c], nu[c], kappa[c], zeta[c]);
                    }
                    if (p0 / k > q) {
                        root = 0;
                    }
                }
                quant[j][offset + row] = root;
            }
        }
    }

    /**
     * Every component's output at row {@code i} into {@code fr}, its observation mean and standard
     * deviation into {@code mu} and {@code sd}; into {@code out} the sum of the components' means
     * as they enter the mixture's mean ({@code meanOf}), the lowest and highest mean and the
     * largest standard deviation.
     */
    static void components(ObservationModel lik, float[][] f, int i, double[] nu, double[] kappa, double[] zeta,
            DoubleBinaryOperator meanOf, double[] fr, double[] mu, double[] sd, double[] out) {
        double m = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double maxSd = 0;
        for (int c = 0; c < nu.length; c++) {
            fr[c] = f[c][i];
            mu[c] = lik.mean(fr[c], nu[c], kappa[c], zeta[c]);
            sd[c] = lik.stddev(fr[c], nu[c], kappa[c], zeta[c]);
            m += meanOf.applyAsDouble(mu[c], sd[c]);
            lo = Math.min(lo, mu[c]);
            hi = Math.max(hi, mu[c]);
            maxSd = Math.max(maxSd, sd[c]);
        }
        out[0] = m;
        out[1] = lo;
        out[2] = hi;
        out[3] = maxSd;
    }

    /** The equal-weight mixture's CDF at x. */
    static double cdf(ObservationModel lik, double x, double[] f, double[] nu, double[] kappa, double[] zeta) {
        double s = 0;
        for (int c = 0; c < f.length; c++) {
            s += lik.cdf(x, f[c], nu[c], kappa[c], zeta[c]);
        }
        return s / f.length;
    }
}
