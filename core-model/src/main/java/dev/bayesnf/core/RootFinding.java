package dev.bayesnf.core;

/**
 * The bracketed root finder the predictor inverts mixture CDFs with (quantiles of the predictive
 * mixture, spec §6.4).
 */
final class RootFinding {
    private static final double VALUE_TOLERANCE = 1e-5;
    private static final int MAX_ITERATIONS = 60;

    private RootFinding() {}

    /** A scalar function for root finding. */
    interface Fn {
        double at(double x);
    }

    /**
     * Chandrupatla's bracketed root finder (Chandrupatla 1997; as in TFP's
     * find_root_chandrupatla): stops when |g| ≤ 1e-5, the bracket is below position tolerance,
     * or after 60 iterations; returns the best point found.
     */
    static double chandrupatla(Fn g, double a, double b) {
        double fa = g.at(a);
        double fb = g.at(b);
        if (fa == 0) {
            return a;
        }
        if (fb == 0) {
            return b;
        }
        if (Math.signum(fa) == Math.signum(fb)) {
            // Not bracketed (possible for count models when q is at the edge): take the closer end.
            return Math.abs(fa) < Math.abs(fb) ? a : b;
        }
        double c = a;
        double fc = fa;
        double t = 0.5;
        double best = Math.abs(fa) < Math.abs(fb) ? a : b;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double xt = a + t * (b - a);
            double ft = g.at(xt);
            if (Math.signum(ft) == Math.signum(fa)) {
                c = a;
                fc = fa;
            } else {
                c = b;
                fc = fb;
                b = a;
                fb = fa;
            }
            a = xt;
            fa = ft;
            double xm;
            double fm;
            if (Math.abs(fa) < Math.abs(fb)) {
                xm = a;
                fm = fa;
            } else {
                xm = b;
                fm = fb;
            }
            best = xm;
            double tol = 2 * Math.ulp(1.0) * Math.abs(xm) + 1e-8;
            double tl = tol / Math.abs(b - c);
            if (tl > 0.5 || Math.abs(fm) <= VALUE_TOLERANCE) {
                return xm;
            }
            double xi = (a - b) / (c - b);
            double phi = (fa - fb) / (fc - fb);
            if (phi * phi < xi && (1 - phi) * (1 - phi) < 1 - xi) {
                t = fa / (fb - fa) * fc / (fb - fc) + (c - a) / (b - a) * fa / (fc - fa) * fb / (fc - fb);
            } else {
                t = 0.5;
            }
            t = Math.min(1 - tl, Math.max(tl, t));
        }
        return best;
    }
}
