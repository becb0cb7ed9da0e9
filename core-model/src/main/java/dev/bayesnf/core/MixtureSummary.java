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
        for (int i = from; i < to; i++) {
            double m = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double maxSd = 0;
            for (int c = 0; c < k; c++) {
                fr[c] = f[c][i];
                mu[c] = lik.mean(fr[c], nu[c], kappa[c], zeta[c]);
                sd[c] = lik.stddev(fr[c], nu[c], kappa[c], zeta[c]);
                m += meanOf.applyAsDouble(mu[c], sd[c]);
                lo = Math.min(lo, mu[c]);
                hi = Math.max(hi, mu[c]);
                maxSd = Math.max(maxSd, sd[c]);
            }
            mean[offset + i] = m / k;
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

    /** The equal-weight mixture's CDF at x. */
    static double cdf(ObservationModel lik, double x, double[] f, double[] nu, double[] kappa, double[] zeta) {
        double s = 0;
        for (int c = 0; c < f.length; c++) {
            s += lik.cdf(x, f[c], nu[c], kappa[c], zeta[c]);
        }
        return s / f.length;
    }
}
