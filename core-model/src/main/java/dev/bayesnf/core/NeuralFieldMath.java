package dev.bayesnf.core;

/**
 * Scalar maths of BayesNF shared by every backend: transforms of raw parameters, the activation,
 * the Logistic prior, the three observation models, and the special functions their predictive
 * distributions need. All methods are static, allocation-free and thread-safe; kernels call them
 * (or mirror them line by line) so that every backend computes the same formulas.
 *
 * <p>References are to the project's model specification ({@code bayesnf-spec.md}), which follows
 * google/bayesnf and Saad et al., Nature Communications 15:7942 (2024).
 */
public final class NeuralFieldMath {
    private NeuralFieldMath() {}

    /** log(2π)/2. */
    public static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /** The absolute floor of the NORMAL noise scale, in target units (spec §4.1). */
    public static final double NOISE_FLOOR = 0.01;

    /** softplus(x) = log(1 + e^x), computed without overflow. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** float version of {@link #softplus(double)}. */
    public static float softplus(float x) {
        return (float) softplus((double) x);
    }

    /** The inverse of softplus: log(e^y - 1), for y > 0. */
    public static double softplusInverse(double y) {
        return y > 20 ? y + Math.log(-Math.expm1(-y)) : Math.log(Math.expm1(y));
    }

    /** The logistic sigmoid 1 / (1 + e^-x). */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** ELU with alpha 1: x if x > 0 else e^x - 1. */
    public static double elu(double x) {
        return x > 0 ? x : Math.expm1(x);
    }

    /**
     * Log density of Logistic(loc, 1) at u (spec §5.1):
     * -(u - loc) - 2 log(1 + e^{-(u - loc)}).
     */
    public static double logisticLogDensity(double u, double loc) {
        double d = u - loc;
        return -d - 2 * softplus(-d);
    }

    /** d/du of {@link #logisticLogDensity}: 1 - 2 sigmoid(u - loc) = -tanh((u - loc)/2). */
    public static double logisticLogDensityGrad(double u, double loc) {
        return -Math.tanh(0.5 * (u - loc));
    }

    // ---------------------------------------------------------------------------------------
    // Special functions.

    /** Complementary error function, fractional error below 1.2e-7 everywhere. */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
                + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
                + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }

    /** Standard normal CDF Φ(x). */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation refined by one Halley step). */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            if (p == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (p == 1) {
                return Double.POSITIVE_INFINITY;
            }
            return Double.NaN;
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - 0.02425) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double e = normalCdf(x) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /** log Γ(x) for x > 0 (Lanczos, g = 7, relative error about 1e-15). */
    public static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        double xx = x - 1;
        double a = g[0];
        double t = xx + 7.5;
        for (int i = 1; i < 9; i++) {
            a += g[i] / (xx + i);
        }
        return HALF_LOG_TWO_PI + (xx + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The digamma function ψ(x) for x > 0. */
    public static double digamma(double x) {
        double r = 0;
        while (x < 6) {
            r -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        return r + Math.log(x) - 0.5 / x
                - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
    }

    /** log B(a, b). */
    public static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction. */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double lbt = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(lbt) * betaContinuedFraction(x, a, b) / a;
        }
        return 1 - Math.exp(lbt) * betaContinuedFraction(1 - x, b, a) / b;
    }

    private static double betaContinuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) {
            d = tiny;
        }
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 300; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-12) {
                break;
            }
        }
        return h;
    }
}
