package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scalar functions (spec §5.1, §4.1, §11) and the observation models (spec §4.4, §6.4). */
final class NeuralFieldMathTest {

    /** softplus computed directly, for reference. */
    private static double softplusRef(double x) {
        return Math.log(1 + Math.exp(x));
    }

    private static double sigmoidRef(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Negative binomial pmf straight from the formula of spec §4.4:
     * Γ(k+r)/(k! Γ(r)) (1-p)^r p^k, p = sigmoid(ℓ), r = 1/softplus(κ),
     * ℓ = -log softplus(κ) - log softplus(f). Γ(k+r)/(k!Γ(r)) is evaluated as a product.
     */
    private static double nbPmf(int k, double f, double kappa) {
        double s = softplusRef(kappa);
        double r = 1 / s;
        double logits = -Math.log(s) - Math.log(softplusRef(f));
        double p = sigmoidRef(logits);
        double coef = 1;
        for (int i = 0; i < k; i++) {
            coef *= (r + i) / (i + 1);
        }
        return coef * Math.pow(1 - p, r) * Math.pow(p, k);
    }

    @Test
    void testLogisticLogDensityAtModeAndElsewhere() {
        assertEquals(-1.386294, NeuralFieldMath.logisticLogDensity(0, 0), 1e-6);
        assertEquals(-1.386294, NeuralFieldMath.logisticLogDensity(-1.5, -1.5), 1e-6);
        // density e^{-d}/(1+e^{-d})^2 at d = 2
        double d = 2;
        double expected = Math.log(Math.exp(-d) / Math.pow(1 + Math.exp(-d), 2));
        assertEquals(expected, NeuralFieldMath.logisticLogDensity(3, 1), 1e-12);
        // symmetric and finite far out
        assertEquals(NeuralFieldMath.logisticLogDensity(800, 0), NeuralFieldMath.logisticLogDensity(-800, 0), 1e-9);
        assertEquals(-800, NeuralFieldMath.logisticLogDensity(800, 0), 1e-9);
    }

    @Test
    void testLogisticLogDensityGradMatchesFiniteDifference() {
        double h = 1e-5;
        for (double u : new double[] {-7, -2.5, -0.3, 0, 0.4, 1.7, 9}) {
            for (double loc : new double[] {0, -1.5, 2}) {
                double numeric = (NeuralFieldMath.logisticLogDensity(u + h, loc)
                        - NeuralFieldMath.logisticLogDensity(u - h, loc)) / (2 * h);
                assertEquals(numeric, NeuralFieldMath.logisticLogDensityGrad(u, loc), 1e-7, "u=" + u + " loc=" + loc);
            }
        }
    }

    @Test
    void testSoftplusAndItsInverse() {
        assertEquals(0.693147, NeuralFieldMath.softplus(0.0), 1e-6);
        assertEquals(0.693147f, NeuralFieldMath.softplus(0f), 1e-6f);
        assertEquals(-1.0502256, NeuralFieldMath.softplusInverse(0.3), 1e-6);
        assertEquals(1000, NeuralFieldMath.softplus(1000.0), 1e-9);
        assertEquals(Math.exp(-50), NeuralFieldMath.softplus(-50.0), 1e-30);
        for (double y : new double[] {1e-4, 0.3, 1, 5, 19.9, 20.1, 40}) {
            assertEquals(y, NeuralFieldMath.softplus(NeuralFieldMath.softplusInverse(y)), 1e-12 * Math.max(1, y));
        }
    }

    @Test
    void testSigmoidAndElu() {
        assertEquals(0.5, NeuralFieldMath.sigmoid(0), 0);
        assertEquals(sigmoidRef(2.3), NeuralFieldMath.sigmoid(2.3), 1e-15);
        assertEquals(sigmoidRef(-2.3), NeuralFieldMath.sigmoid(-2.3), 1e-15);
        assertEquals(0, NeuralFieldMath.sigmoid(-800), 1e-300);
        assertEquals(1.5, NeuralFieldMath.elu(1.5), 0);
        assertEquals(Math.exp(-2) - 1, NeuralFieldMath.elu(-2), 1e-15);
    }

    @Test
    void testNormalCdfAndQuantile() {
        assertEquals(0.9750021, NeuralFieldMath.normalCdf(1.96), 1e-6);
        assertEquals(0.5, NeuralFieldMath.normalCdf(0), 1e-7);
        assertEquals(0.0249979, NeuralFieldMath.normalCdf(-1.96), 1e-6);
        assertEquals(1.959964, NeuralFieldMath.normalQuantile(0.975), 1e-6);
        assertEquals(-1.959964, NeuralFieldMath.normalQuantile(0.025), 1e-6);
        assertEquals(0, NeuralFieldMath.normalQuantile(0.5), 1e-7);
        assertEquals(-3.090232, NeuralFieldMath.normalQuantile(0.001), 1e-5);
        for (double p : new double[] {1e-6, 0.01, 0.02, 0.3, 0.5, 0.77, 0.9, 0.99, 0.999}) {
            double x = NeuralFieldMath.normalQuantile(p);
            assertEquals(p, NeuralFieldMath.normalCdf(x), 1e-6 * p, "p=" + p);
        }
        assertEquals(Double.NEGATIVE_INFINITY, NeuralFieldMath.normalQuantile(0));
        assertEquals(Double.POSITIVE_INFINITY, NeuralFieldMath.normalQuantile(1));
        assertTrue(Double.isNaN(NeuralFieldMath.normalQuantile(1.5)));
    }

    @Test
    void testGammaFunctions() {
        assertEquals(Math.log(24), NeuralFieldMath.logGamma(5), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), NeuralFieldMath.logGamma(0.5), 1e-12);
        assertEquals(0, NeuralFieldMath.logGamma(1), 1e-12);
        assertEquals(Math.log(Math.sqrt(Math.PI) / 2), NeuralFieldMath.logGamma(1.5), 1e-12);
        assertEquals(Math.log(3628800), NeuralFieldMath.logGamma(11), 1e-11);
        assertEquals(-0.5772156649, NeuralFieldMath.digamma(1), 1e-9);
        assertEquals(1 - 0.5772156649015329, NeuralFieldMath.digamma(2), 1e-9);
        assertEquals(-0.5772156649015329 - 2 * Math.log(2), NeuralFieldMath.digamma(0.5), 1e-9);
        assertEquals(Math.log(1.0 / 12), NeuralFieldMath.logBeta(2, 3), 1e-12);
    }

    @Test
    void testRegularizedBeta() {
        // I_0.3(2, 3) = sum_{j=2}^{4} C(4, j) 0.3^j 0.7^(4-j) = 0.3483 exactly
        assertEquals(0.3483, NeuralFieldMath.regularizedBeta(0.3, 2, 3), 1e-12);
        assertEquals(0.5, NeuralFieldMath.regularizedBeta(0.5, 2.5, 2.5), 1e-12);
        assertEquals(0.9, NeuralFieldMath.regularizedBeta(0.9, 1, 1), 1e-12);
        // I_x(a, 1) = x^a
        assertEquals(Math.pow(0.8, 3.7), NeuralFieldMath.regularizedBeta(0.8, 3.7, 1), 1e-12);
        assertEquals(0, NeuralFieldMath.regularizedBeta(0, 2, 3), 0);
        assertEquals(1, NeuralFieldMath.regularizedBeta(1, 2, 3), 0);
    }

    @Test
    void testNormalLogProbAndMoments() {
        double f = 1.3;
        double nu = -0.4;
        double sigma = 0.01 + Math.exp(nu);
        double y = 2.1;
        double expected = -0.5 * Math.pow((y - f) / sigma, 2) - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
        assertEquals(expected, ObservationModel.NORMAL.logProb(y, f, nu, 0.3, 0.2, null, 1), 1e-12);
        assertEquals(f, ObservationModel.NORMAL.mean(f, nu, 0.3, 0.2), 0);
        assertEquals(sigma, ObservationModel.NORMAL.stddev(f, nu, 0.3, 0.2), 1e-15);
        assertEquals(0.9750021, ObservationModel.NORMAL.cdf(f + 1.96 * sigma, f, nu, 0, 0), 1e-6);
        assertEquals(0, ObservationModel.NORMAL.probZero(f, nu, 0, 0), 0);
    }

    @Test
    void testNegativeBinomialLogProbEqualsDirectPmf() {
        double[][] cases = {{0.5, 0}, {-1, 0.7}, {2.5, -1.5}, {0, 2}, {-3, -0.5}};
        for (double[] c : cases) {
            double f = c[0];
            double kappa = c[1];
            for (int k : new int[] {0, 1, 2, 5, 13, 40}) {
                double direct = Math.log(nbPmf(k, f, kappa));
                double lp = ObservationModel.NB.logProb(k, f, 0.9, kappa, -0.3, null, 1);
                assertEquals(direct, lp, 1e-9 * Math.max(1, Math.abs(direct)), "k=" + k + " f=" + f + " kappa=" + kappa);
            }
        }
    }

    @Test
    void testNegativeBinomialMeanIsTheReferenceQuirk() {
        double f = 1.0;
        double kappa = 0.2;
        double s = softplusRef(kappa);
        double expected = 1 / (s * s * softplusRef(f));
        assertEquals(expected, ObservationModel.NB.mean(f, 0, kappa, 0), 1e-12);
        // and it is the mean of the pmf itself
        double m = 0;
        double v = 0;
        for (int k = 0; k < 2000; k++) {
            double p = nbPmf(k, f, kappa);
            m += k * p;
            v += (double) k * k * p;
        }
        v -= m * m;
        assertEquals(m, ObservationModel.NB.mean(f, 0, kappa, 0), 1e-9);
        assertEquals(Math.sqrt(v), ObservationModel.NB.stddev(f, 0, kappa, 0), 1e-8);
        // NOT softplus(f): the link is inverted
        assertTrue(Math.abs(ObservationModel.NB.mean(f, 0, kappa, 0) - softplusRef(f)) > 0.1);
    }

    @Test
    void testNegativeBinomialCdfIsSumOfPmf() {
        for (double[] c : new double[][] {{0.5, 0}, {-1, 0.7}, {2.5, -1.5}}) {
            double f = c[0];
            double kappa = c[1];
            double sum = 0;
            for (int x = 0; x <= 30; x++) {
                sum += nbPmf(x, f, kappa);
                assertEquals(sum, ObservationModel.NB.cdf(x, f, 0, kappa, 0), 1e-6, "x=" + x + " f=" + f);
            }
            assertEquals(1, ObservationModel.NB.cdf(1e4, f, 0, kappa, 0), 1e-9);
            assertEquals(0, ObservationModel.NB.cdf(-0.5, f, 0, kappa, 0), 0);
        }
    }

    @Test
    void testZeroInflatedProbabilities() {
        double f = 0.4;
        double kappa = -0.3;
        double zeta = 0.8;
        double pi = sigmoidRef(zeta);
        double nb0 = nbPmf(0, f, kappa);
        assertEquals(nb0, ObservationModel.NB.probZero(f, 0, kappa, zeta), 1e-12);
        assertEquals(pi + (1 - pi) * nb0, ObservationModel.ZINB.probZero(f, 0, kappa, zeta), 1e-12);
        assertEquals(Math.log(pi + (1 - pi) * nb0), ObservationModel.ZINB.logProb(0, f, 0, kappa, zeta, null, 1), 1e-9);
        assertEquals(Math.log((1 - pi) * nbPmf(3, f, kappa)),
                ObservationModel.ZINB.logProb(3, f, 0, kappa, zeta, null, 1), 1e-9);
        assertEquals((1 - pi) * ObservationModel.NB.mean(f, 0, kappa, 0), ObservationModel.ZINB.mean(f, 0, kappa, zeta), 1e-12);
        assertEquals(pi + (1 - pi) * ObservationModel.NB.cdf(4, f, 0, kappa, 0),
                ObservationModel.ZINB.cdf(4, f, 0, kappa, zeta), 1e-12);
        assertEquals(0, ObservationModel.ZINB.cdf(-1, f, 0, kappa, zeta), 0);
    }

    @Test
    void testObservationModelParse() {
        assertEquals(ObservationModel.ZINB, ObservationModel.parse(" zinb "));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ObservationModel.parse("poisson"));
        assertTrue(e.getMessage().contains("poisson"));
    }
}
