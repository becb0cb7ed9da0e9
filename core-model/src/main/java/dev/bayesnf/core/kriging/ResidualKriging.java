package dev.bayesnf.core.kriging;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Simple kriging (known mean 0) of residuals observed at {@link Sites}, from a local space-time
 * neighbourhood: at a point (x, y, t), the at most {@code neighbours} observations with the
 * largest covariance to it among those within {@code window} time units, found through one k-d
 * tree per time step ({@link SpaceTimeIndex}). With C the covariance model, c the covariances of
 * the point to its neighbours and K theirs among themselves:
 *
 * <pre>
 *   w = K⁻¹ c,   r̂ = wᵀ r,   σ²_SK = C(0, 0) − wᵀ c
 * </pre>
 *
 * σ²_SK is the error variance of predicting a new observation (the nugget included). Far from
 * every observation c → 0, so r̂ → 0 and σ²_SK → C(0, 0): the correction fades out smoothly. In
 * time the covariance is multiplied by a Wendland taper (1 − s)⁴(4s + 1), s = u/(window + 1), so
 * that it reaches exactly 0 past the window instead of being cut off (the product of two positive
 * definite functions is positive definite).
 *
 * <p>{@code calibration} is a factor for σ²_SK chosen by cross-validation (see the hybrid fit):
 * the model's variance of the prediction error is calibration · σ²_SK. With a
 * {@link LocationScale} the sites hold standardized anomalies r/σ(s), and r̂ and σ²_SK are
 * multiplied back by σ and σ² at the predicted place.
 *
 * <p>Immutable and thread-safe; each thread predicts through its own {@link #kriger()}.
 */
public final class ResidualKriging {
    /** Default neighbourhood size (gstat's nmax). */
    public static final int DEFAULT_NEIGHBOURS = 32;
    /** A lag whose covariance is below this share of the sill is past the window. */
    private static final double NEGLIGIBLE = 0.005;

    private final Sites sites;
    private final DistanceMetric metric;
    private final double timeUnit;
    private final CovarianceModel model;
    private final int neighbours;
    private final int window;
    private final double calibration;
    private final EmpiricalVariogram empirical;
    private final LocationScale scale;

    /** The neighbourhood search: sites grouped by time, a tree for each large group. */
    private final SpaceTimeIndex index;
    private final double sill;
    /** The constant the residuals were taken from, or NaN when they are a network's residuals. */
    private final double trend;
    /** The power p of the fallback weight 1 − ρ^p, or NaN for no fallback. */
    private final double fallback;
    /** The training period: the first and last residual's raw time. */
    private final double firstTime;
    private final double lastTime;
    /** Ordinary kriging (weights summing to 1: the residuals' local mean estimated) instead of simple. */
    private final boolean ordinary;
    /** The recalibration of quantile levels, or null for none. */
    private final QuantileRecalibration recalibration;

    /**
     * @param sites the residuals (duplicates at one place and time are merged)
     * @param metric how distances are measured
     * @param timeUnit the time that lag 1 stands for (1 for calendar periods; any positive value
     *     without time)
     * @param model the covariance of the residual field (lags in time units)
     * @param neighbours most observations per prediction
     * @param window largest time lag used, in time units (0 for data without time)
     * @param calibration factor of the kriging variance (1 for none)
     * @param empirical the empirical variogram the model was fitted to, or null
     */
    public ResidualKriging(Sites sites, DistanceMetric metric, double timeUnit, CovarianceModel model, int neighbours,
            int window, double calibration, EmpiricalVariogram empirical) {
        this(sites, metric, timeUnit, model, neighbours, window, calibration, empirical, null);
    }

    /**
     * As the other constructor, for standardized anomalies: {@code sites} hold the residuals
     * divided by their place's {@code scale}, and predictions are multiplied back by the scale at
     * the predicted place (null: the residuals themselves).
     */
    public ResidualKriging(Sites sites, DistanceMetric metric, double timeUnit, CovarianceModel model, int neighbours,
            int window, double calibration, EmpiricalVariogram empirical, LocationScale scale) {
        this(sites, metric, timeUnit, model, neighbours, window, calibration, empirical, scale, Double.NaN, Double.NaN,
                false, null);
    }

    private ResidualKriging(Sites sites, DistanceMetric metric, double timeUnit, CovarianceModel model, int neighbours,
            int window, double calibration, EmpiricalVariogram empirical, LocationScale scale, double trend,
            double fallback, boolean ordinary, QuantileRecalibration recalibration) {
        if (!Double.isNaN(fallback) && !(fallback > 0 && Double.isFinite(fallback))) {
            throw new IllegalArgumentException("the fallback power must be positive, got " + fallback);
        }
        this.trend = trend;
        this.fallback = fallback;
        this.ordinary = ordinary;
        this.recalibration = recalibration;
        this.scale = scale;
        if (neighbours < 1) {
            throw new IllegalArgumentException("kriging neighbours must be positive, got " + neighbours);
        }
        if (window < 0) {
            throw new IllegalArgumentException("the kriging time window must not be negative, got " + window);
        }
        if (!(calibration > 0) || !Double.isFinite(calibration)) {
            throw new IllegalArgumentException("the kriging calibration must be positive, got " + calibration);
        }
        if (!(timeUnit > 0) || !Double.isFinite(timeUnit)) {
            throw new IllegalArgumentException("the time unit must be positive, got " + timeUnit);
        }
        this.sites = sites.mergeDuplicates();
        this.metric = metric;
        this.timeUnit = timeUnit;
        this.model = model;
        this.neighbours = neighbours;
        this.window = window;
        this.calibration = calibration;
        this.empirical = empirical;
        this.sill = model.sill();
        this.firstTime = java.util.Arrays.stream(this.sites.t()).min().orElse(0);
        this.lastTime = java.util.Arrays.stream(this.sites.t()).max().orElse(0);
        this.index = new SpaceTimeIndex(this.sites, metric);
    }

    /**
     * Fits a covariance model with the given marginals to the empirical variogram of
     * {@code sites} and returns the kriging with it (calibration 1). The time window is the first lag (at most {@code maxLag})
     * where the model's covariance at the same place falls below 0.5% of the sill.
     */
    public static ResidualKriging fit(Sites sites, DistanceMetric metric, double timeUnit, int maxLag, int neighbours,
            java.util.Set<Marginal> marginals, long seed) {
        return fit(sites, metric, timeUnit, maxLag, neighbours, marginals, false, seed);
    }

    /**
     * As {@link #fit(Sites, DistanceMetric, double, int, int, java.util.Set, long)}; with
     * {@code byPlace} the residuals are first divided by their place's {@link LocationScale}
     * (standardized anomalies), and the variogram is the anomalies'.
     */
    public static ResidualKriging fit(Sites sites, DistanceMetric metric, double timeUnit, int maxLag, int neighbours,
            java.util.Set<Marginal> marginals, boolean byPlace, long seed) {
        Sites merged = sites.mergeDuplicates();
        LocationScale scale = byPlace ? LocationScale.fit(merged, metric) : null;
        if (scale != null) {
            merged = scale.standardize(merged);
        }
        EmpiricalVariogram ev = EmpiricalVariogram.compute(merged, metric, timeUnit, maxLag,
                EmpiricalVariogram.DEFAULT_BINS, EmpiricalVariogram.DEFAULT_PAIR_BUDGET, seed);
        VariogramFitter.Fit fit = VariogramFitter.fit(ev, merged.meanSquare(), maxLag > 0, marginals);
        return new ResidualKriging(merged, metric, timeUnit, fit.model(), neighbours,
                window(fit.model(), maxLag), 1, ev, scale);
    }

    /**
     * This kriging's covariance model, window and settings on other residuals {@code sites} (with
     * {@code byPlace}, divided by their own places' scales first), as gstat's {@code krige.cv}
     * cross-validates with a variogram fitted once; no empirical variogram.
     */
    public ResidualKriging withData(Sites sites, boolean byPlace) {
        Sites merged = sites.mergeDuplicates();
        LocationScale s = byPlace ? LocationScale.fit(merged, metric) : null;
        return new ResidualKriging(s == null ? merged : s.standardize(merged), metric, timeUnit, model, neighbours,
                window, calibration, null, s, trend, fallback, ordinary, recalibration);
    }

    /** The first lag ≤ maxLag at which C(0, u) is below 0.5% of the sill (maxLag if none). */
    static int window(CovarianceModel model, int maxLag) {
        double s = model.sill();
        for (int u = 1; u <= maxLag; u++) {
            if (model.covariance(0, u) < NEGLIGIBLE * s) {
                return u;
            }
        }
        return maxLag;
    }

    /** This kriging with another calibration factor. */
    public ResidualKriging withCalibration(double c) {
        return new ResidualKriging(sites, metric, timeUnit, model, neighbours, window, c, empirical, scale, trend, fallback, ordinary, recalibration);
    }

    /** This kriging with another neighbourhood size. */
    public ResidualKriging withNeighbours(int n) {
        return new ResidualKriging(sites, metric, timeUnit, model, n, window, calibration, empirical, scale, trend, fallback, ordinary, recalibration);
    }

    /**
     * This kriging as the residuals about a constant trend {@code c} (in the same units as the
     * residuals): a hybrid prediction is then c plus the kriged residual, the network's outputs
     * unused (the hybrid's cross-validation found no trend better than the mean, see
     * {@code HybridTrainer}).
     */
    public ResidualKriging withConstantTrend(double c) {
        if (!Double.isFinite(c)) {
            throw new IllegalArgumentException("the constant trend must be finite, got " + c);
        }
        return new ResidualKriging(sites, metric, timeUnit, model, neighbours, window, calibration, empirical, scale,
                c, fallback, ordinary, recalibration);
    }

    /**
     * This kriging with a fallback to BayesNF alone outside the training period: a prediction at a
     * time before the first or after the last residual's time is the mixture of the hybrid (weight
     * w) and the model's network alone (weight 1 − w), with w = 1 − ρ^p and ρ = σ²_SK / C(0, 0) the
     * share of the residual field's variance that the neighbours leave unexplained
     * ({@link Kriger#krige} {@code out[3]}): just past the period ρ is small and w ≈ 1; once no
     * observation is within the time window ρ = 1 and w = 0. Inside the period w = 1: there the
     * hybrid is what the cross-validation measured. The hybrid's cross-validation chooses p.
     */
    public ResidualKriging withFallback(double power) {
        return new ResidualKriging(sites, metric, timeUnit, model, neighbours, window, calibration, empirical, scale,
                trend, power, ordinary, recalibration);
    }

    /**
     * This kriging as ordinary kriging ({@code true}) or simple kriging with mean 0
     * ({@code false}, the default). Ordinary kriging constrains the weights of each
     * neighbourhood to sum to 1, so the residuals' level is estimated from the neighbours rather
     * than taken as 0: where the trend is off by a local offset (a smooth trend, or the constant
     * one) the neighbours correct it. Its variance adds the error of that estimate:
     * σ²_OK = C(0, 0) − cᵀK⁻¹c + (1 − 1ᵀK⁻¹c)² / 1ᵀK⁻¹1. It does not fade to 0 away from the
     * data while neighbours remain, so the hybrid offers it where its cross-validation holds out
     * whole places: purely spatial models, and the hybrid at new places ({@code HybridTrainer}).
     */
    public ResidualKriging withOrdinary(boolean o) {
        return new ResidualKriging(sites, metric, timeUnit, model, neighbours, window, calibration, empirical, scale,
                trend, fallback, o, recalibration);
    }

    /**
     * This kriging with its quantile levels recalibrated ({@link QuantileRecalibration}; null for
     * none): a hybrid quantile at level τ is read at the recalibrated level, inside the training
     * period; past it, where the prediction moves to BayesNF alone with the fallback, the level
     * moves back to τ with the same weight.
     */
    public ResidualKriging withRecalibration(QuantileRecalibration r) {
        return new ResidualKriging(sites, metric, timeUnit, model, neighbours, window, calibration, empirical, scale,
                trend, fallback, ordinary, r);
    }

    /** The recalibration of quantile levels ({@link #withRecalibration}), when there is one. */
    public java.util.Optional<QuantileRecalibration> recalibration() {
        return java.util.Optional.ofNullable(recalibration);
    }

    /** Whether this is ordinary kriging ({@link #withOrdinary}). */
    public boolean ordinary() {
        return ordinary;
    }

    /** The power p of {@link #withFallback}, when predictions fall back to BayesNF alone. */
    public java.util.OptionalDouble fallback() {
        return Double.isNaN(fallback) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(fallback);
    }

    /**
     * The weight of the hybrid at raw time {@code t} where the share {@code rho} of the residual
     * variance is left unexplained: 1 − ρ^p with a fallback outside the training period, else 1.
     */
    public double hybridWeight(double rho, double t) {
        if (Double.isNaN(fallback) || (t >= firstTime && t <= lastTime)) {
            return 1;
        }
        return 1 - Math.pow(Math.min(1, Math.max(0, rho)), fallback);
    }

    /** The constant trend of {@link #withConstantTrend}, when the residuals are taken from one. */
    public java.util.OptionalDouble constantTrend() {
        return Double.isNaN(trend) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(trend);
    }

    /** The residual scale of each place when the sites are standardized anomalies. */
    public java.util.Optional<LocationScale> scale() {
        return java.util.Optional.ofNullable(scale);
    }

    public Sites sites() {
        return sites;
    }

    public DistanceMetric metric() {
        return metric;
    }

    public double timeUnit() {
        return timeUnit;
    }

    public CovarianceModel model() {
        return model;
    }

    public int neighbours() {
        return neighbours;
    }

    /** Largest time lag used, in time units (0 for data without time). */
    public int window() {
        return window;
    }

    public double calibration() {
        return calibration;
    }

    /** The empirical variogram the model was fitted to, when known. */
    public java.util.Optional<EmpiricalVariogram> empirical() {
        return java.util.Optional.ofNullable(empirical);
    }

    /** The covariance used: the model's, tapered in time. */
    double covariance(double h, double u) {
        if (window == 0) {
            return u == 0 ? model.covariance(h, 0) : 0;
        }
        double s = u / (window + 1);
        if (s >= 1) {
            return 0;
        }
        double a = 1 - s;
        double a2 = a * a;
        return model.covariance(h, u) * a2 * a2 * (4 * s + 1);
    }

    /** A kriging predictor for one thread. */
    public Kriger kriger() {
        return new Kriger();
    }

    /** Predicts with scratch buffers of its own; not thread-safe. */
    public final class Kriger {
        private final int k = neighbours;
        private final SpaceTimeIndex.Search search = index.search(k, window, timeUnit, ResidualKriging.this::covariance);
        private final int[] chosen = new int[k];
        private final int[] previous = new int[k];
        private int previousCount = -1;
        private final DMatrixRMaj kMat = new DMatrixRMaj(k, k);
        private final DMatrixRMaj cVec = new DMatrixRMaj(k, 1);
        private final DMatrixRMaj wVec = new DMatrixRMaj(k, 1);
        private final DMatrixRMaj ones = new DMatrixRMaj(k, 1);
        /** K⁻¹1 of the current neighbourhood (ordinary kriging). */
        private final DMatrixRMaj bVec = new DMatrixRMaj(k, 1);
        private final LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(k);
        private LinearSolverDense<DMatrixRMaj> solver;
        private int count;

        private Kriger() {}

        /**
         * Kriges at (x, y, t): {@code out[0]} = r̂, {@code out[1]} = the kriging variance
         * (uncalibrated; σ²_SK, or σ²_OK for {@link #withOrdinary ordinary kriging}),
         * {@code out[2]} = the number of neighbours used and, when {@code out} has a fourth
         * element, {@code out[3]} = ρ = variance / (C(0, 0)·scale²), the share of the field's
         * variance left unexplained (1 without neighbours; above 1 is possible for ordinary
         * kriging, whose variance includes the error of the estimated level).
         *
         * @param leaveOut leave out observations at exactly this place and time, so that a
         *     prediction at an observation does not see its own value
         */
        public void krige(double x, double y, double t, boolean leaveOut, double[] out) {
            count = search.nearest(x, y, t, leaveOut);
            double f = scale == null ? 1 : scale.at(x, y);
            if (count == 0) {
                out[0] = 0;
                out[1] = sill * f * f;
                out[2] = 0;
                if (out.length > 3) {
                    out[3] = 1;
                }
                return;
            }
            System.arraycopy(search.found(), 0, chosen, 0, count);
            Arrays.sort(chosen, 0, count);
            double[] sx = sites.x();
            double[] sy = sites.y();
            double[] st = sites.t();
            double[] r = sites.value();
            cVec.reshape(count, 1);
            wVec.reshape(count, 1);
            for (int i = 0; i < count; i++) {
                int s = chosen[i];
                cVec.data[i] = covariance(metric.distance(x, y, sx[s], sy[s]), Math.abs(st[s] - t) / timeUnit);
            }
            if (!sameSet()) {
                factor(sx, sy, st);
            }
            solver.solve(cVec, wVec);
            double var;
            if (ordinary) {
                // w = a + b·(1 − 1ᵀa)/1ᵀb with a = K⁻¹c, b = K⁻¹1: the weights sum to 1
                double sa = 0;
                double sb = 0;
                for (int i = 0; i < count; i++) {
                    sa += wVec.data[i];
                    sb += bVec.data[i];
                }
                double ac = 0;
                for (int i = 0; i < count; i++) {
                    ac += wVec.data[i] * cVec.data[i];
                }
                double lag = sb > 0 ? (1 - sa) / sb : 0;
                for (int i = 0; i < count; i++) {
                    wVec.data[i] += lag * bVec.data[i];
                }
                var = sill - ac + (sb > 0 ? (1 - sa) * (1 - sa) / sb : 0);
            } else {
                double wc = 0;
                for (int i = 0; i < count; i++) {
                    wc += wVec.data[i] * cVec.data[i];
                }
                var = sill - wc;
            }
            double pred = 0;
            for (int i = 0; i < count; i++) {
                pred += wVec.data[i] * r[chosen[i]];
            }
            out[0] = f * pred;
            out[1] = f * f * Math.max(0, var);
            out[2] = count;
            if (out.length > 3) {
                out[3] = sill > 0 ? Math.max(0, var) / sill : 1;
            }
        }

        private boolean sameSet() {
            if (previousCount != count) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (previous[i] != chosen[i]) {
                    return false;
                }
            }
            return true;
        }

        private void factor(double[] sx, double[] sy, double[] st) {
            fill(sx, sy, st);
            if (chol.setA(kMat)) {
                solver = chol;
            } else {
                // not positive definite in floating point (a model without nugget and nearly
                // coincident sites): the least-squares solution
                fill(sx, sy, st);
                LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
                pinv.setA(kMat);
                solver = pinv;
            }
            if (ordinary) {
                ones.reshape(count, 1);
                Arrays.fill(ones.data, 0, count, 1.0);
                bVec.reshape(count, 1);
                solver.solve(ones, bVec);
            }
            System.arraycopy(chosen, 0, previous, 0, count);
            previousCount = count;
        }

        private void fill(double[] sx, double[] sy, double[] st) {
            kMat.reshape(count, count);
            for (int i = 0; i < count; i++) {
                int a = chosen[i];
                kMat.unsafe_set(i, i, sill);
                for (int j = i + 1; j < count; j++) {
                    int b = chosen[j];
                    double c = covariance(metric.distance(sx[a], sy[a], sx[b], sy[b]), Math.abs(st[a] - st[b]) / timeUnit);
                    kMat.unsafe_set(i, j, c);
                    kMat.unsafe_set(j, i, c);
                }
            }
        }
    }
}
