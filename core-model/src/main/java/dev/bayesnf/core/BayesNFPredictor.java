package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.PredictionSession;
import dev.bayesnf.core.kriging.ResidualKriging;
import java.util.function.DoubleBinaryOperator;

/**
 * Predicts with a fitted model (spec §6.4): every mixture component's network output on the rows,
 * its observation parameters, the equal-weight mixture mean, and mixture quantiles by bracketed
 * root finding (Chandrupatla's method, value tolerance 1e-5, at most 60 iterations, as the
 * reference). NB/ZINB quantiles are ceiled and set to 0 where the mixture's P(Y = 0) exceeds the
 * level.
 *
 * <p>One deliberate difference: the NORMAL bracket is per row (min μ − 5 max σ, max μ + 5 max σ
 * over components) rather than one bracket for all rows; the root is the same within tolerance.
 *
 * <p>Residual kriging (a model fitted with it, and a predictor that uses it): each component's
 * mean is shifted by the kriged residual r̂ at the row's place and time, and each component's
 * noise is replaced by the calibrated kriging variance c·σ²_SK, so the predictive distribution is
 * the equal-weight mixture of Normal(t_k + r̂, c·σ²_SK), t_k the hybrid's trend (docs/MODEL.md,
 * "Residual kriging"). With a fallback, outside the training period the prediction is that mixture
 * with weight w = 1 − ρ^p and BayesNF alone with weight 1 − w, ρ the share of the residual variance
 * the kriging leaves unexplained: BayesNF alone exactly once no observation is within reach.
 * Observations at exactly the row's place and time are left out of its neighbourhood. This needs
 * the row's raw coordinates and time; calls without them predict as BayesNF alone.
 *
 * <p>Rows are processed in chunks, so any number of rows works (the reference fails on a
 * multiple of 1024, spec §10.19). Thread-safe.
 */
public final class BayesNFPredictor {
    private static final int CHUNK = 32768;
    /** Rows per parallel task of the mean/quantile step. */
    private static final int ROWS_PER_TASK = 512;

    private final ComputeBackend backend;
    private final int threads;
    private final boolean residualKriging;
    /** Predictions below it are raised to it (NaN: none), {@link #withLowerBound}. */
    private final double lowerBound;

    /** A predictor that uses a model's residual kriging when the model has one. */
    public BayesNFPredictor(ComputeBackend backend, int threads) {
        this(backend, threads, true);
    }

    /**
     * @param residualKriging whether to add a model's kriged residuals (false: BayesNF alone,
     *     whatever the model holds)
     */
    public BayesNFPredictor(ComputeBackend backend, int threads, boolean residualKriging) {
        this(backend, threads, residualKriging, Double.NaN);
    }

    private BayesNFPredictor(ComputeBackend backend, int threads, boolean residualKriging, double lowerBound) {
        this.backend = backend;
        this.threads = threads;
        this.residualKriging = residualKriging;
        this.lowerBound = lowerBound;
    }

    /**
     * This predictor for a quantity that cannot be below {@code bound} (0 for a concentration or a
     * wind speed): the predictive distribution censored at the bound, Y' = max(Y, bound). Its
     * quantiles are max(q, bound), exactly; its mean is that of the censored mixture, each normal
     * component's E[max(Y, bound)] in closed form ({@link TargetScaling#censoredMeanOfNormal}). NaN: no bound.
     */
    public BayesNFPredictor withLowerBound(double bound) {
        if (Double.isInfinite(bound)) {
            throw new IllegalArgumentException("the lower bound must be finite, got " + bound);
        }
        return new BayesNFPredictor(backend, threads, residualKriging, bound);
    }

    /** Whether predictions of {@code model} include its kriged residuals. */
    public boolean kriges(BayesNFModel model) {
        return residualKriging && model.residualKriging().isPresent();
    }

    /**
     * The raw coordinates and times of the rows of {@code table} that residual kriging needs
     * ({x, y, t}; t is 0 without time), or null when {@code model} is predicted without it.
     */
    public double[][] sites(BayesNFModel model, DataTable table) {
        return sites(model, TrainingSet.of(model.spec(), table));
    }

    private double[][] sites(BayesNFModel model, TrainingSet data) {
        if (!kriges(model)) {
            return null;
        }
        Georeference g = model.georeference().orElseThrow();
        double[] t = model.spec().time() == null ? new double[data.table().rows()] : data.time().clone();
        return new double[][] {data.column(g.x()).clone(), data.column(g.y()).clone(), t};
    }

    /**
     * Predicts every row of {@code table}. Rows are never dropped; the target column, if present,
     * is ignored.
     *
     * @throws DataException for a missing or non-finite feature or time value
     */
    public Prediction predict(BayesNFModel model, DataTable table, double[] levels) {
        for (double q : levels) {
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException("quantile levels must be between 0 and 1 (exclusive), got " + q);
            }
        }
        int n = table.rows();
        double[] mean = new double[n];
        double[][] quant = new double[levels.length][n];
        TrainingSet data = TrainingSet.of(model.spec(), table);
        double[][] sites = sites(model, data);
        try (Session session = open(model)) {
            for (int start = 0; start < n; start += CHUNK) {
                int end = Math.min(n, start + CHUNK);
                int[] rows = new int[end - start];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = start + i;
                }
                float[][] x = model.stats().inputs(data, rows);
                float[][] seasonal = model.stats().seasonal(data, model.layout(), rows);
                if (sites == null) {
                    session.predictRows(x, seasonal, levels, mean, quant, start);
                } else {
                    session.predictRows(x, seasonal, java.util.Arrays.copyOfRange(sites[0], start, end),
                            java.util.Arrays.copyOfRange(sites[1], start, end),
                            java.util.Arrays.copyOfRange(sites[2], start, end), levels, mean, quant, start);
                }
            }
        }
        return new Prediction(levels.clone(), mean, quant);
    }

    /**
     * The mean of the component means of every row of {@code table} and their variance across
     * components (the ensemble's spread), in the target's units, without residual kriging.
     *
     * @return {mean, spread variance}
     */
    public double[][] meanAndSpread(BayesNFModel model, DataTable table) {
        return meanAndSpread(model, TrainingSet.of(model.spec(), table));
    }

    /**
     * As {@link #meanAndSpread(BayesNFModel, DataTable)} for every row of {@code data}'s table,
     * reading the columns {@code data} has parsed already.
     */
    public double[][] meanAndSpread(BayesNFModel model, TrainingSet data) {
        ModelSpec spec = model.spec();
        int n = data.table().rows();
        double[] mean = new double[n];
        double[] var = new double[n];
        float[][] comps = model.components();
        ObservationModel lik = spec.likelihood();
        TrainingStatistics st = model.stats();
        try (PredictionSession net = backend.openPrediction(model.layout(), comps, threads)) {
            for (int start = 0; start < n; start += CHUNK) {
                int end = Math.min(n, start + CHUNK);
                int[] rows = new int[end - start];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = start + i;
                }
                float[][] f = net.forward(st.inputs(data, rows), st.seasonal(data, model.layout(), rows));
                for (int i = 0; i < rows.length; i++) {
                    double s = 0;
                    double ss = 0;
                    for (int c = 0; c < comps.length; c++) {
                        double m = lik.mean(f[c][i], comps[c][FeatureLayout.NU], comps[c][FeatureLayout.KAPPA],
                                comps[c][FeatureLayout.ZETA]);
                        s += m;
                        ss += m * m;
                    }
                    double mu = s / comps.length;
                    mean[start + i] = st.unscaleTarget(mu);
                    var[start + i] = Math.max(0, ss / comps.length - mu * mu) * st.targetStd() * st.targetStd();
                }
            }
        }
        return new double[][] {mean, var};
    }

    /**
     * Opens a session that predicts with {@code model} over many calls
     * ({@link ComputeBackend#openPrediction}: a device backend keeps the model on its device
     * between them). Close it when done.
     */
    public Session open(BayesNFModel model) {
        if (!Double.isNaN(lowerBound) && model.spec().likelihood().isCount()) {
            throw new IllegalArgumentException("a lower bound applies to the normal likelihood; counts ("
                    + model.spec().likelihood().name().toLowerCase(java.util.Locale.ROOT) + ") are never negative");
        }
        PredictionSession net = backend.openPrediction(model.layout(), model.components(), threads);
        PredictionSession trendNet = null;
        try {
            float[][] trend = kriges(model) ? model.trendComponents().orElse(null) : null;
            trendNet = trend == null ? null : backend.openPrediction(model.layout(), trend, threads);
            float[][] newTrend = kriges(model) ? model.newPlaces().map(NewPlacesHybrid::trend).orElse(null) : null;
            return new Session(model, net, trendNet, newTrend == null ? null : backend.openPrediction(model.layout(),
                    newTrend, threads));
        } catch (RuntimeException | Error e) {
            net.close();
            if (trendNet != null) {
                trendNet.close();
            }
            throw e;
        }
    }

    /** Predictions with one model over many calls ({@link #open}). Not thread-safe. */
    public final class Session implements AutoCloseable {
        private final BayesNFModel model;
        private final PredictionSession net;
        /** The hybrid's trend network when it is not the model's own (null: it is). */
        private final PredictionSession trendNet;
        /** The trend network of the hybrid at new places when it is not the model's own (null: it is, or none). */
        private final PredictionSession newTrendNet;
        /** The places of the training rows, when the model has a separate hybrid for new places (else null). */
        private final ObservedPlaces observed;

        private Session(BayesNFModel model, PredictionSession net, PredictionSession trendNet,
                PredictionSession newTrendNet) {
            this.model = model;
            this.net = net;
            this.trendNet = trendNet;
            this.newTrendNet = newTrendNet;
            observed = kriges(model) && model.newPlaces().isPresent()
                    ? new ObservedPlaces(model.residualKriging().orElseThrow().sites()) : null;
        }

        /**
         * Predicts prepared inputs (x as from {@link TrainingStatistics#inputs}, seasonal values from
         * {@link TrainingStatistics#seasonal}) into {@code mean[offset..]} and {@code quant[j][offset..]}.
         */
        public void predictRows(float[][] x, float[][] seasonal, double[] levels, double[] mean,
                double[][] quant, int offset) {
            predictRows(x, seasonal, null, null, null, levels, mean, quant, offset);
        }

        /**
         * As {@link #predictRows(float[][], float[][], double[], double[], double[][], int)}, with
         * the rows' raw coordinates and times for residual kriging (null: BayesNF alone).
         */
        public void predictRows(float[][] x, float[][] seasonal, double[] siteX, double[] siteY, double[] siteT,
                double[] levels, double[] mean, double[][] quant, int offset) {
            if (siteX != null && kriges(model)) {
                if (observed == null) {
                    hybridRows(model, model.residualKriging().orElseThrow(), net, trendNet, x, seasonal, siteX, siteY,
                            siteT, levels, mean, quant, offset);
                } else {
                    observed.split(x, seasonal, siteX, siteY, siteT, levels, mean, quant, offset,
                            (atObserved, px, ps, pxs, pys, pts, pm, pq, o) -> hybridRows(model, atObserved
                                    ? model.residualKriging().orElseThrow() : model.newPlaces().orElseThrow().kriging(),
                                    net, atObserved ? trendNet : newTrendNet, px, ps, pxs, pys, pts, levels, pm, pq, o));
                }
            } else {
                BayesNFPredictor.this.predictRows(model, net, x, seasonal, levels, mean, quant, offset);
            }
            TrainingStatistics stats = model.stats();
            TargetScaling ts = model.spec().targetScaling();
            if (meanInTargetUnits(model)) {
                // quantiles back through the monotone map (and raised to the bound); the mean is in
                // the target's units already
                boolean bounded = !Double.isNaN(lowerBound);
                for (int i = offset; i < offset + x.length; i++) {
                    for (double[] q : quant) {
                        q[i] = ts.inverse(stats.unscaleTarget(q[i]));
                        if (bounded) {
                            q[i] = Math.max(q[i], lowerBound);
                        }
                    }
                }
            } else if (stats.targetMean() != 0 || stats.targetStd() != 1) {
                // back to the target's units: exact for means and quantiles, the map being affine
                for (int i = offset; i < offset + x.length; i++) {
                    mean[i] = stats.unscaleTarget(mean[i]);
                    for (double[] q : quant) {
                        q[i] = stats.unscaleTarget(q[i]);
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                net.close();
            } finally {
                try {
                    if (trendNet != null) {
                        trendNet.close();
                    }
                } finally {
                    if (newTrendNet != null) {
                        newTrendNet.close();
                    }
                }
            }
        }
    }

    private void predictRows(BayesNFModel model, PredictionSession net, float[][] x, float[][] seasonal,
            double[] levels, double[] mean, double[][] quant, int offset) {
        float[][] comps = model.components();
        ObservationModel lik = model.spec().likelihood();
        DoubleBinaryOperator meanOf = componentMean(model);
        // a log target's or a bounded mean needs each component's mean and spread: the device
        // summary has neither
        float[][] summary = meanInTargetUnits(model) ? null : net.summarize(lik, x, seasonal, levels);
        if (summary != null) {
            for (int i = 0; i < x.length; i++) {
                mean[offset + i] = summary[0][i];
                for (int j = 0; j < levels.length; j++) {
                    quant[j][offset + i] = summary[1 + j][i];
                }
            }
            return;
        }
        float[][] f = net.forward(x, seasonal);
        int k = comps.length;
        int n = x.length;
        double[] nu = new double[k];
        double[] kappa = new double[k];
        double[] zeta = new double[k];
        for (int c = 0; c < k; c++) {
            nu[c] = comps[c][FeatureLayout.NU];
            kappa[c] = comps[c][FeatureLayout.KAPPA];
            zeta[c] = comps[c][FeatureLayout.ZETA];
        }
        int blocks = Math.max(1, Math.min(threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads,
                (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK));
        if (blocks == 1) {
            MixtureSummary.summarize(lik, f, nu, kappa, zeta, levels, mean, quant, offset, 0, n, meanOf);
        } else {
            // Rows are independent, so the split changes nothing in the results.
            java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> MixtureSummary.summarize(lik, f, nu,
                    kappa, zeta, levels, mean, quant, offset, (int) ((long) n * b / blocks),
                    (int) ((long) n * (b + 1) / blocks), meanOf));
        }
    }

    /**
     * Rows with residual kriging, in the scaled target units. The hybrid: components
     * Normal(t_k + r̂, c·σ²_SK), t_k the trend (the network of {@code trendNet}, this model's own
     * network, or the constant). With a fallback ({@link ResidualKriging#withFallback}) the
     * prediction is the mixture of the hybrid with weight w = 1 − ρ^p and BayesNF alone (this
     * model's network and noise) with weight 1 − w.
     */
    private void hybridRows(BayesNFModel model, ResidualKriging rk, PredictionSession net, PredictionSession trendNet,
            float[][] x, float[][] seasonal, double[] sx, double[] sy, double[] st, double[] levels, double[] mean,
            double[][] quant, int offset) {
        DoubleBinaryOperator meanOf = componentMean(model);
        dev.bayesnf.core.kriging.QuantileRecalibration recal = rk.recalibration().orElse(null);
        // a constant trend (the cross-validation preferred kriging alone): one component at it
        double[] constant = rk.constantTrend().stream().toArray();
        boolean fallback = rk.fallback().isPresent();
        // the model's own network: the trend itself, or BayesNF alone for the fallback
        boolean needOwn = fallback || (constant.length == 0 && trendNet == null);
        float[][] own = needOwn ? net.forward(x, seasonal) : null;
        float[][] f = constant.length == 1 ? null : trendNet == null ? own : trendNet.forward(x, seasonal);
        float[][] comps = model.components();
        ObservationModel lik = model.spec().likelihood();
        int n = x.length;
        int blocks = Math.max(1, Math.min(threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads,
                (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK));
        // contiguous blocks: neighbouring rows (raster cells) share neighbourhoods, which each
        // block's kriger reuses; the results do not depend on the split
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
            ResidualKriging.Kriger kr = rk.kriger();
            double[] out = new double[4];
            double[] mu = new double[f == null ? 1 : f.length];
            double[] fa = new double[comps.length];
            double[] ma = new double[comps.length];
            double[] sa = new double[comps.length];
            double[] sums = new double[4];
            double[] nu = new double[comps.length];
            double[] kappa = new double[comps.length];
            double[] zeta = new double[comps.length];
            for (int c = 0; c < comps.length; c++) {
                nu[c] = comps[c][FeatureLayout.NU];
                kappa[c] = comps[c][FeatureLayout.KAPPA];
                zeta[c] = comps[c][FeatureLayout.ZETA];
            }
            int from = (int) ((long) n * b / blocks);
            int to = (int) ((long) n * (b + 1) / blocks);
            double floor = 1e-6 * Math.sqrt(Math.max(rk.model().sill(), 1e-300));
            for (int i = from; i < to; i++) {
                kr.krige(sx[i], sy[i], st[i], true, out);
                double sd = Math.max(floor, Math.sqrt(rk.calibration() * out[1]));
                double w = rk.hybridWeight(out[3], st[i]);
                // the bracket of each part as where it is predicted alone, so that w = 1 and w = 0
                // find the same roots as the hybrid and BayesNF alone do
                double m = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                if (w > 0) {
                    for (int c = 0; c < mu.length; c++) {
                        mu[c] = (f == null ? constant[0] : f[c][i]) + out[0];
                        m += meanOf.applyAsDouble(mu[c], sd);
                        lo = Math.min(lo, mu[c] - 8 * sd);
                        hi = Math.max(hi, mu[c] + 8 * sd);
                    }
                    m /= mu.length;
                }
                double ms = 0;
                if (w < 1) {
                    MixtureSummary.components(lik, own, i, nu, kappa, zeta, meanOf, fa, ma, sa, sums);
                    ms = sums[0] / comps.length;
                    lo = Math.min(lo, sums[1] - 5 * sums[3]);
                    hi = Math.max(hi, sums[2] + 5 * sums[3]);
                }
                mean[offset + i] = w * m + (1 - w) * ms;
                for (int j = 0; j < levels.length; j++) {
                    // the hybrid's recalibrated level, moving back to the level itself with the fallback
                    double q = recal == null ? levels[j] : w * recal.level(levels[j]) + (1 - w) * levels[j];
                    quant[j][offset + i] = RootFinding.chandrupatla(v -> {
                        double s = 0;
                        if (w > 0) {
                            for (double mc : mu) {
                                s += NeuralFieldMath.normalCdf((v - mc) / sd);
                            }
                        }
                        double cdf = w * s / mu.length;
                        return (w < 1 ? cdf + (1 - w) * MixtureSummary.cdf(lik, v, fa, nu, kappa, zeta) : cdf) - q;
                    }, lo, hi);
                }
            }
        });
    }

    /**
     * The mean of one normal component N(m, s^2) of the predictive mixture (model scale) as it
     * enters the mixture's mean: m itself, unscaled with the rest afterwards, or for a log target
     * the log-normal's mean in the target's units ({@link TargetScaling#meanOfNormal}).
     */
    private DoubleBinaryOperator componentMean(BayesNFModel model) {
        TargetScaling ts = model.spec().targetScaling();
        if (!meanInTargetUnits(model)) {
            return (m, s) -> m;
        }
        TrainingStatistics st = model.stats();
        if (Double.isNaN(lowerBound)) {
            return (m, s) -> ts.meanOfNormal(st.unscaleTarget(m), s * st.targetStd());
        }
        double bound = lowerBound;
        return (m, s) -> ts.censoredMeanOfNormal(st.unscaleTarget(m), s * st.targetStd(), bound);
    }

    /** Whether the mixture's mean is summed in the target's units (log targets, a lower bound). */
    private boolean meanInTargetUnits(BayesNFModel model) {
        return model.spec().targetScaling().transforms() || !Double.isNaN(lowerBound);
    }
}
