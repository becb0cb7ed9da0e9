package dev.bayesnf.core.kriging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Fits covariance models to an {@link EmpiricalVariogram} by weighted least squares, as gstat's
 * {@code fit.variogram} (fit.method 7: weights N_j/h_j²) and {@code fit.StVariogram} (its
 * space-time analogue N_j/(h_j² + (κ_w u_j)²), with the anisotropy κ_w estimated from the data,
 * see {@link #anisotropy}).
 *
 * <p>The total sill C(0, 0) is fixed to the residuals' mean square: for simple kriging of
 * zero-mean residuals it is the variance far from any data, and fixing it leaves the fit to
 * share it among the nugget and the components and to find the ranges. Ranges are bounded to
 * [a quarter of the first bin, 1000 times the cutoff] in space and [0.25, 1000·maxLag] time
 * units: a component may be constant over the data (the common signal of each time across every
 * place), and no fit runs off to an infinite range. Candidates: a pure nugget; for data without
 * time the spatial model with each {@link Marginal}; with time the separable model for every
 * pair of marginals and the sum-metric model for every spatial (= joint) and temporal marginal.
 * Each is fitted with BOBYQA (bounded, derivative-free): the exponential pair of each form from
 * two starts, the other pairs from its optimum; the lowest weighted sum of squares wins.
 *
 * <p>Stateless and thread-safe.
 */
public final class VariogramFitter {
    private static final int MAX_EVAL = 2000;
    private static final double LOGIT_BOUND = 9;
    /**
     * Largest range, as a multiple of the cutoff (space) or largest lag (time): far enough for a
     * component to be constant over the data (a common signal of each time across all places, a
     * lasting difference between places), short of infinity.
     */
    private static final double RANGE_REACH = 1000;
    /**
     * Bound of the log of the spatial model's sill relative to the residuals' mean square: the
     * spatial sill is fitted, as gstat's {@code fit.variogram} does, within a factor e² (7.4).
     */
    private static final double SILL_REACH = 2;

    private VariogramFitter() {}

    /** A fitted model and how well each candidate fitted. */
    public record Fit(CovarianceModel model, double wsse, List<Candidate> candidates) {}

    /** One candidate's weighted sum of squared errors (lower is better). */
    public record Candidate(String name, double wsse) {}

    /**
     * Fits {@code ev}, the empirical variogram of values whose mean square is {@code sill}.
     *
     * @param temporal whether the data have time (else only spatial candidates)
     */
    public static Fit fit(EmpiricalVariogram ev, double sill, boolean temporal) {
        return fit(ev, sill, temporal, java.util.EnumSet.allOf(Marginal.class));
    }

    /**
     * As {@link #fit(EmpiricalVariogram, double, boolean)} with the given marginals only. Each
     * form is first fitted with the first marginal (in {@link Marginal} order) in every place from
     * two starts; every other combination is then fitted from that form's best point.
     */
    public static Fit fit(EmpiricalVariogram ev, double sill, boolean temporal, java.util.Set<Marginal> marginals) {
        if (marginals.isEmpty()) {
            throw new IllegalArgumentException("no variogram marginal to fit");
        }
        if (!(sill > 0) || !Double.isFinite(sill)) {
            return new Fit(new CovarianceModel.PureNugget(Math.max(0, Double.isFinite(sill) ? sill : 0)), 0, List.of());
        }
        int n = ev.size();
        double[] w = new double[n];
        double hMin = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (ev.distance()[j] > 0) {
                hMin = Math.min(hMin, ev.distance()[j]);
            }
        }
        double cutoff = ev.cutoff() > 0 ? ev.cutoff() : 1;
        if (!Double.isFinite(hMin)) {
            hMin = cutoff / EmpiricalVariogram.DEFAULT_BINS;
        }
        int maxLag = Math.max(1, ev.maxLag());
        double kw = temporal ? anisotropy(ev, cutoff) : 1;
        double total = 0;
        for (int j = 0; j < n; j++) {
            double h = ev.distance()[j];
            double u = kw * ev.lag()[j];
            double d2 = h * h + u * u;
            w[j] = d2 > 0 ? ev.pairs()[j] / d2 : 0;
            total += w[j];
        }
        for (int j = 0; j < n; j++) {
            w[j] = total > 0 ? w[j] / total : 1.0 / n;
        }
        Problem pr = new Problem(ev, w, sill, Math.log(hMin / 4), Math.log(RANGE_REACH * cutoff), Math.log(0.25),
                Math.log(RANGE_REACH * maxLag), Math.log(kw / 1000), Math.log(1000 * kw));
        List<Candidate> cands = new ArrayList<>();
        CovarianceModel best = new CovarianceModel.PureNugget(sill);
        double bestW = pr.wsse(best);
        cands.add(new Candidate("nugget", bestW));
        Marginal[] ms = java.util.EnumSet.copyOf(marginals).toArray(new Marginal[0]);
        List<List<Family>> forms = new ArrayList<>();
        if (!temporal) {
            List<Family> f = new ArrayList<>();
            for (Marginal m : ms) {
                f.add(new Family("spatial " + m.id(), 3, z -> spatial(pr, m, z),
                        List.of(new double[] {logit(0.1), Math.log(cutoff / 3), 0},
                                new double[] {logit(0.4), Math.log(cutoff / 10), 0})));
            }
            forms.add(f);
        } else {
            List<Family> sep = new ArrayList<>();
            List<Family> sum = new ArrayList<>();
            for (Marginal a : ms) {
                for (Marginal b : ms) {
                    sep.add(new Family("separable " + a.id() + "/" + b.id(), 5, z -> separable(pr, a, b, z),
                            List.of(new double[] {logit(0.05), Math.log(cutoff / 3), logit(0.1), Math.log(maxLag / 3.0 + 0.5), logit(0.1)},
                                    new double[] {logit(0.3), Math.log(cutoff), logit(0.5), Math.log(1), logit(0.4)})));
                    sum.add(new Family("sum-metric " + a.id() + "/" + b.id(), 9, z -> sumMetric(pr, a, b, z),
                            List.of(new double[] {0, 0, 1, Math.log(cutoff / 3), logit(0.2), Math.log(maxLag / 3.0 + 0.5),
                                logit(0.2), Math.log(cutoff / 3), Math.log(kw)},
                                    new double[] {1, 1, 0, Math.log(cutoff), logit(0.5), Math.log(1), logit(0.5),
                                        Math.log(cutoff / 10), Math.log(kw / 10)})));
                }
            }
            forms.add(sep);
            forms.add(sum);
        }
        for (List<Family> form : forms) {
            // the first family (exponential marginals) from its starts; the others from its optimum
            double[] seed = null;
            for (Family f : form) {
                double[][] bounds = pr.bounds(f);
                List<double[]> starts = seed == null ? f.starts() : List.of(seed);
                double fw = Double.POSITIVE_INFINITY;
                double[] fx = null;
                for (double[] start : starts) {
                    double[] x0 = start.clone();
                    for (int i = 0; i < x0.length; i++) {
                        x0[i] = Math.min(bounds[1][i] - 1e-6, Math.max(bounds[0][i] + 1e-6, x0[i]));
                    }
                    try {
                        BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * f.dim() + 1, 0.5, 1e-5);
                        PointValuePair r = opt.optimize(new MaxEval(seed == null ? MAX_EVAL : MAX_EVAL / 2),
                                GoalType.MINIMIZE, new InitialGuess(x0), new SimpleBounds(bounds[0], bounds[1]),
                                new ObjectiveFunction(z -> pr.wsse(f.build().apply(z))));
                        if (r.getValue() < fw) {
                            fw = r.getValue();
                            fx = r.getPoint();
                        }
                    } catch (MathIllegalStateException e) {
                        // too many evaluations or a degenerate start: the other start, or the next family
                    }
                }
                if (fx == null) {
                    continue;
                }
                if (seed == null) {
                    seed = fx;
                }
                cands.add(new Candidate(f.name(), fw));
                if (fw < bestW) {
                    bestW = fw;
                    best = f.build().apply(fx);
                }
            }
        }
        cands.sort(Comparator.comparingDouble(Candidate::wsse));
        return new Fit(best, bestW, List.copyOf(cands));
    }

    /**
     * The space-time anisotropy of the weights (distance per time unit), as gstat's
     * {@code estiStAni(method = "linear")} in spirit: the distance at which the purely spatial
     * semivariogram (lag 0) reaches the purely temporal one at lag 1 (same place), by linear
     * interpolation between bins from the origin. So one time step weighs like the distance over
     * which the field changes as much. The cutoff when the spatial variogram never gets there, or
     * when there is no same-place or no spatial bin.
     */
    static double anisotropy(EmpiricalVariogram ev, double cutoff) {
        double g1 = Double.NaN;
        List<double[]> spatial = new ArrayList<>();
        for (int j = 0; j < ev.size(); j++) {
            if (ev.lag()[j] == 1 && ev.distance()[j] == 0) {
                g1 = ev.gamma()[j];
            } else if (ev.lag()[j] == 0 && ev.distance()[j] > 0) {
                spatial.add(new double[] {ev.distance()[j], ev.gamma()[j]});
            }
        }
        if (Double.isNaN(g1) || spatial.isEmpty() || !(g1 > 0)) {
            return cutoff;
        }
        spatial.sort(Comparator.comparingDouble(a -> a[0]));
        double ph = 0;
        double pg = 0;
        for (double[] b : spatial) {
            if (b[1] >= g1) {
                double f = (g1 - pg) / (b[1] - pg);
                return Math.max(1e-9 * cutoff, ph + f * (b[0] - ph));
            }
            ph = b[0];
            pg = b[1];
        }
        return cutoff;
    }

    private record Family(String name, int dim, java.util.function.Function<double[], CovarianceModel> build,
            List<double[]> starts) {}

    /** The data of one fit and the parameter bounds (logs of ranges, logits of shares). */
    private record Problem(EmpiricalVariogram ev, double[] w, double sill, double loH, double hiH, double loT,
            double hiT, double loK, double hiK) {
        double wsse(CovarianceModel m) {
            double s = 0;
            double[] h = ev.distance();
            double[] u = ev.lag();
            double[] g = ev.gamma();
            double c0 = m.sill();
            for (int j = 0; j < h.length; j++) {
                double e = g[j] - (c0 - m.covariance(h[j], u[j]));
                s += w[j] * e * e;
            }
            return s;
        }

        double[][] bounds(Family f) {
            double l = LOGIT_BOUND;
            switch (f.dim()) {
                case 3:
                    return new double[][] {{-l, loH, -SILL_REACH}, {l, hiH, SILL_REACH}};
                case 5:
                    return new double[][] {{-l, loH, -l, loT, -l}, {l, hiH, l, hiT, l}};
                default:
                    return new double[][] {{-l, -l, -l, loH, -l, loT, -l, loH, loK}, {l, l, l, hiH, l, hiT, l, hiH, hiK}};
            }
        }
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static CovarianceModel spatial(Problem pr, Marginal m, double[] z) {
        double eta = sigmoid(z[0]);
        double sill = pr.sill() * Math.exp(z[2]);
        return new CovarianceModel.Spatial(eta * sill, (1 - eta) * sill, m, Math.exp(z[1]));
    }

    private static CovarianceModel separable(Problem pr, Marginal ms, Marginal mt, double[] z) {
        double eta = sigmoid(z[0]);
        return new CovarianceModel.Separable(eta * pr.sill(), (1 - eta) * pr.sill(), ms, Math.exp(z[1]), sigmoid(z[2]), mt,
                Math.exp(z[3]), sigmoid(z[4]));
    }

    /** Shares of the sill by a softmax of (0, z0, z1, z2): nugget, space, time, joint. */
    private static CovarianceModel sumMetric(Problem pr, Marginal ms, Marginal mt, double[] z) {
        double e1 = Math.exp(z[0]);
        double e2 = Math.exp(z[1]);
        double e3 = Math.exp(z[2]);
        double d = 1 + e1 + e2 + e3;
        double s = pr.sill();
        return new CovarianceModel.SumMetric(s / d, s * e1 / d, ms, Math.exp(z[3]), sigmoid(z[4]), s * e2 / d, mt,
                Math.exp(z[5]), sigmoid(z[6]), s * e3 / d, ms, Math.exp(z[7]), Math.exp(z[8]));
    }
}
