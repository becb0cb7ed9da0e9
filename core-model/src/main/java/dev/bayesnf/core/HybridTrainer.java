package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.JavaBackend;
import dev.bayesnf.core.kriging.DistanceMetric;
import dev.bayesnf.core.kriging.Marginal;
import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.core.kriging.Sites;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;

/**
 * Fits BayesNF with residual kriging: the neural field as the trend, simple kriging of its
 * residuals in space and time on top (docs/MODEL.md, "Residual kriging"). Its parts:
 *
 * <ol>
 *   <li><b>Location-wise cross-validation.</b> The distinct (x, y) places of the training rows
 *       are dealt into K folds (seeded). For each fold a model is trained on the other folds'
 *       places with at most {@link Options#foldEnsemble} members, and at checkpoints (epochs
 *       E/16, E/8, E/4, E/2, E of the configured E) its in-sample residuals get a fitted
 *       space-time variogram and are kriged to the held-out places. Candidate 0 is no trained
 *       trend at all: the fold's training mean, its residuals kriged the same way (kriging
 *       alone). Each training row is thus predicted once per candidate by a hybrid that never
 *       saw its place.
 *   <li><b>Capacity by cross-validation.</b> The cross-validated squared error of the hybrid
 *       chooses the trend's epochs (early stopping). A network
 *       trained long enough to pass through every station leaves in-sample residuals near zero
 *       and nothing to krige; the hybrid's own cross-validated error sees that and picks a
 *       smoother trend, down to the constant when no trained trend predicts better than the
 *       mean (a stationary field of coordinates only, where kriging is the best linear
 *       predictor). For purely spatial data each checkpoint is kriged both ways, simple and
 *       ordinary, and the kriging type is chosen with the epochs. By default
 *       ({@link CvRule#ONE_STANDARD_ERROR}) the simplest candidate whose error is within one
 *       standard error of the lowest is taken: on a hundred places the errors of neighbouring
 *       candidates are often closer than the noise of the cross-validation itself.
 *   <li><b>Calibration.</b> The factor c of the kriging variance that minimises the
 *       cross-validated CRPS of Normal(ŷ, spread² + c·σ²_SK): the kriging variance of in-sample
 *       residuals understates the error of a trend that saw the data, and c restores it.
 *   <li><b>Fallback.</b> For data with time, when the chosen trend is not the network of the
 *       configured epochs, the power p of the weight 1 − ρ^p with which predictions outside the
 *       training period mix the hybrid with BayesNF alone (ρ the share of the residual variance
 *       the kriging leaves unexplained): the p whose blend of the held-out hybrid and the last
 *       checkpoint has the lowest squared error ({@link ResidualKriging#withFallback}). Inside
 *       the period, and for purely spatial data, the hybrid is what the cross-validation chose.
 *   <li><b>Final model.</b> The network is trained on all rows for the configured epochs with
 *       the full ensemble: BayesNF alone as configured. The trend is its state at the chosen
 *       epochs (a snapshot on the way, {@link BayesNFModel#trendComponents}), the network itself
 *       when all epochs were chosen, or the training mean for candidate 0
 *       ({@link ResidualKriging#withConstantTrend}). The trend's in-sample residuals (target's
 *       scaled units) get the variogram and become the kriging data, with c and p.
 * </ol>
 *
 * <p>Fallbacks: with fewer than 3 places (a single station) there is no location-wise
 * cross-validation: the trend is fitted as configured and its in-sample residuals are kriged
 * uncalibrated (c = 1), in time at that station. When a fold cannot be fitted (a fold that
 * leaves a standardized column constant), the same. All residuals zero: no kriging. Each is
 * recorded in the provenance ({@code residual.kriging}, {@code cv.*}, {@code kriging.*}).
 *
 * <p>Thread-safe: every call has its own state.
 */
public final class HybridTrainer {
    /** Default number of time blocks that cut each place's series into cross-validation segments. */
    public static final int DEFAULT_TIME_BLOCKS = 5;
    /** Default largest time lag of the variogram and the kriging window, in time units. */
    public static final int DEFAULT_MAX_LAG = 15;

    private final ComputeBackend backend;
    private final int threads;

    /** How the cross-validation chooses the trend's epochs and the kriging type. */
    public enum CvRule {
        /** The candidate of lowest cross-validated squared error. */
        MIN,
        /**
         * The simplest candidate (fewest epochs; ordinary before simple kriging) whose excess
         * squared error over the lowest, paired per cross-validation unit, is within one standard
         * error (Breiman et al. 1984, in its paired form).
         */
        ONE_STANDARD_ERROR;

        /** Parses "min" or "one-se" (any case). */
        public static CvRule parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "min":
                    return MIN;
                case "one-se":
                    return ONE_STANDARD_ERROR;
                default:
                    throw new IllegalArgumentException("unknown cross-validation rule '" + text + "' (expected one-se or min)");
            }
        }

        /** The name used in options and provenance: "min" or "one-se". */
        public String id() {
            return this == MIN ? "min" : "one-se";
        }
    }

    /**
     * How residual kriging is fitted.
     *
     * @param residualKriging false: BayesNF alone, fitted exactly as {@link BayesNFTrainer}
     * @param folds location-wise cross-validation folds (at most the number of places; fewer
     *     than 2: none)
     * @param foldEnsemble at most this many members in each fold's model
     * @param selectEpochs choose the epochs by cross-validation (else the configured epochs)
     * @param neighbours kriging neighbourhood size
     * @param maxLag largest time lag of the variogram and the kriging window, in time units
     * @param marginals the variogram marginals to try
     * @param placeScale for data with time, krige standardized anomalies (residuals divided by
     *     their place's residual scale, {@link dev.bayesnf.core.kriging.LocationScale})
     * @param rule how the cross-validation chooses among the candidates
     */
    public record Options(boolean residualKriging, int folds, int timeBlocks, int foldEnsemble, boolean selectEpochs,
            int neighbours, int maxLag, Set<Marginal> marginals, boolean placeScale, CvRule rule) {
        public Options {
            Checks.ensurePositive("time blocks", timeBlocks);
            if (marginals == null || marginals.isEmpty()) {
                throw new IllegalArgumentException("give at least one variogram marginal");
            }
            marginals = Set.copyOf(marginals);
            Checks.ensureNonNegative("folds", folds);
            Checks.ensurePositive("fold ensemble", foldEnsemble);
            Checks.ensurePositive("kriging neighbours", neighbours);
            Checks.ensureNonNegative("largest time lag", maxLag);
            if (rule == null) {
                throw new IllegalArgumentException("give a cross-validation rule");
            }
        }

        /** Residual kriging with 5 folds, at most 8 members per fold, epochs chosen, 32 neighbours, lags to 30. */
        public static Options defaults() {
            return new Options(true, 5, DEFAULT_TIME_BLOCKS, 8, true, ResidualKriging.DEFAULT_NEIGHBOURS, DEFAULT_MAX_LAG,
                    Set.of(Marginal.EXPONENTIAL), true, CvRule.ONE_STANDARD_ERROR);
        }

        /** BayesNF alone. */
        public static Options off() {
            return new Options(false, 0, 1, 8, false, ResidualKriging.DEFAULT_NEIGHBOURS, DEFAULT_MAX_LAG,
                    Set.of(Marginal.EXPONENTIAL), true, CvRule.ONE_STANDARD_ERROR);
        }

        public Options withFolds(int k) {
            return new Options(residualKriging, k, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag, marginals,
                    placeScale, rule);
        }

        public Options withTimeBlocks(int b) {
            return new Options(residualKriging, folds, b, foldEnsemble, selectEpochs, neighbours, maxLag, marginals,
                    placeScale, rule);
        }

        public Options withNeighbours(int n) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, n, maxLag, marginals,
                    placeScale, rule);
        }

        public Options withMaxLag(int lag) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, lag, marginals, placeScale, rule);
        }

        public Options withSelectEpochs(boolean select) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, select, neighbours, maxLag, marginals,
                    placeScale, rule);
        }

        public Options withMarginals(Set<Marginal> m) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag, m,
                    placeScale, rule);
        }

        public Options withRule(CvRule r) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, placeScale, r);
        }

        public Options withPlaceScale(boolean p) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, p, rule);
        }
    }

    public HybridTrainer(ComputeBackend backend, int threads) {
        this.backend = backend;
        this.threads = threads;
    }

    /**
     * Fits a model of {@code spec} to {@code table}: BayesNF alone when {@code options} say so,
     * else BayesNF with residual kriging (needs {@code geo} and the NORMAL likelihood).
     *
     * @throws DataException for unusable data, before any training
     * @throws IllegalArgumentException for residual kriging without coordinates or with counts
     * @throws CancellationException when the listener cancels
     */
    public BayesNFModel fit(DataTable table, ModelSpec spec, TrainConfig config, Georeference geo, Options options,
            TrainingListener listener) {
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        BayesNFTrainer trainer = new BayesNFTrainer(backend);
        TrainingSet data = TrainingSet.of(spec, table);
        if (!options.residualKriging()) {
            BayesNFModel alone = trainer.fit(data, config, l, null).withGeoreference(geo);
            return alone.withProvenance(alone.provenanceRecord().toBuilder().residualKriging("no").build());
        }
        if (geo == null) {
            throw new IllegalArgumentException("residual kriging needs the coordinate columns of the model (and"
                    + " their CRS); name them, or fit without residual kriging");
        }
        if (spec.likelihood().isCount()) {
            throw new IllegalArgumentException("residual kriging applies to the normal likelihood; the "
                    + spec.likelihood().name().toLowerCase(Locale.ROOT) + " likelihood models counts (fit without"
                    + " residual kriging)");
        }
        BayesNFTrainer.check(data, config);
        long started = System.nanoTime();
        int[] rows = data.rows();
        int n = rows.length;
        double[] gx = data.column(geo.x());
        double[] gy = data.column(geo.y());
        double[] traw = spec.time() == null ? new double[table.rows()] : data.time();
        double[] yAll = data.targetValues();
        DistanceMetric metric = geo.geographic() ? DistanceMetric.GREAT_CIRCLE_KM : DistanceMetric.PLANAR;
        double unit = timeUnit(spec, traw, rows);
        int maxLag = maxLag(spec, traw, rows, unit, options.maxLag());
        int[] loc = new int[n];
        Map<List<Double>, Integer> places = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Integer id = places.putIfAbsent(List.of(gx[rows[i]], gy[rows[i]]), places.size());
            loc[i] = id == null ? places.size() - 1 : id;
        }
        int nloc = places.size();
        // the units dealt into folds: places, or (place, time block) segments
        int blocks = spec.time() == null ? 1 : Math.max(1, options.timeBlocks());
        int[] group = new int[n];
        int ngroups = segments(rows, loc, traw, blocks, group);
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("residual.kriging", "yes");
        prov.put("cv.locations", Integer.toString(nloc));
        prov.put("cv.time.blocks", Integer.toString(blocks));
        prov.put("cv.rule", options.rule().id());
        prov.put("kriging.distance.unit", metric.unit());
        prov.put("kriging.marginals", options.marginals().stream().sorted().map(Marginal::id)
                .collect(java.util.stream.Collectors.joining(",")));
        boolean byPlace = options.placeScale() && spec.time() != null && n >= 2 * nloc;
        prov.put("kriging.place.scale", byPlace ? "yes" : "no");
        int folds = Math.min(options.folds(), ngroups);
        int epochs = config.epochs();
        double calibration = 1;
        double fallback = Double.NaN;
        boolean ordinary = false;
        if (ngroups < 3 || folds < 2) {
            prov.put("cv.folds", "0");
            prov.put("cv.note", ngroups < 3 ? "no cross-validation: fewer than 3 places or place-periods (" + ngroups
                    + "); in-sample residuals kriged uncalibrated" : "no cross-validation asked for");
        } else {
            try {
                CvResult cv = crossValidate(data, config, options, rows, group, ngroups, folds, gx, gy, traw,
                        yAll, metric, unit, maxLag, byPlace, l);
                epochs = cv.epochs();
                calibration = cv.calibration();
                fallback = cv.fallback();
                ordinary = cv.ordinary();
                prov.put("cv.folds", Integer.toString(folds));
                prov.put("cv.fold.ensemble", Integer.toString(Math.min(config.ensemble(), options.foldEnsemble())));
                prov.put("cv.epochs.candidates", cv.candidates());
                prov.put("cv.epochs.chosen", Integer.toString(cv.epochs()));
                prov.put("cv.rmse.hybrid", fmt(cv.rmseHybrid()));
                prov.put("cv.rmse.bayesnf", fmt(cv.rmseTrend()));
                prov.put("cv.coverage95", fmt(cv.coverage()));
                prov.put("cv.rmse.hybrid.by.epochs", cv.rmseHybridByEpochs());
                if (!cv.rmseOrdinaryByEpochs().isEmpty()) {
                    prov.put("cv.rmse.hybrid.ordinary.by.epochs", cv.rmseOrdinaryByEpochs());
                }
                prov.put("cv.rmse.bayesnf.by.epochs", cv.rmseTrendByEpochs());
                if (!Double.isNaN(fallback)) {
                    prov.put("cv.fallback.powers", cv.fallbackPowers());
                    prov.put("cv.rmse.by.fallback.power", cv.rmseByFallback());
                }
            } catch (DataException e) {
                prov.put("cv.folds", "0");
                prov.put("cv.note", "no location-wise cross-validation (a fold could not be fitted: "
                        + e.getMessage() + "); in-sample residuals kriged uncalibrated");
            }
        }
        // The network is trained for the configured epochs: it is BayesNF alone, for predictions
        // without residual kriging and for the fallback away from the data. The trend is what the
        // cross-validation chose: epochs 0, the training mean (kriging alone); fewer epochs, the
        // same training's state at that epoch (a snapshot on the way); else the network itself.
        boolean constantTrend = epochs == 0;
        boolean earlier = !constantTrend && epochs < config.epochs();
        long before = folds >= 2 && prov.get("cv.note") == null ? (long) folds * config.epochs() : 0;
        Stage finalStage = new Stage(l, before, before + config.epochs());
        BayesNFModel[] snapshot = new BayesNFModel[1];
        BayesNFModel model = trainer.fit(data, config, finalStage, earlier
                ? new BayesNFTrainer.Checkpoints(new int[] {epochs}, (e, snap) -> snapshot[0] = snap) : null);
        TrainingStatistics st = model.stats();
        double[] trend = constantTrend ? null : new BayesNFPredictor(backend, threads, false).meanAndSpread(
                earlier ? snapshot[0] : model, data)[0];
        double[] sx = new double[n];
        double[] sy = new double[n];
        double[] stt = new double[n];
        double[] r = new double[n];
        double level = 0;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            sx[i] = gx[row];
            sy[i] = gy[row];
            stt[i] = traw[row];
            r[i] = constantTrend ? st.scaleTarget(yAll[row]) : (yAll[row] - trend[row]) / st.targetStd();
            level += constantTrend ? r[i] / n : 0;
        }
        boolean any = false;
        for (int i = 0; i < n; i++) {
            r[i] -= level;
            any |= r[i] != 0;
        }
        prov.put("kriging.trend", constantTrend ? "constant (the training mean: the cross-validation preferred it to"
                + " every trained trend)" : earlier ? "bayesnf at " + epochs + " of " + config.epochs() + " epochs"
                : "bayesnf");
        prov.put("kriging.fallback", Double.isNaN(fallback) ? "none" : "to BayesNF alone (" + config.epochs()
                + " epochs), hybrid weight 1 - rho^" + fmt(fallback));
        prov.put("kriging.calibration", fmt(calibration));
        prov.put("kriging.type", ordinary ? "ordinary" : "simple");
        prov.put("kriging.time.unit", fmt(unit));
        if (!any) {
            prov.put("residual.kriging", "no (every residual is zero: nothing to krige)");
            return model.withGeoreference(geo).withProvenance(prov);
        }
        ResidualKriging rk = ResidualKriging.fit(new Sites(sx, sy, stt, r), metric, unit, maxLag, options.neighbours(),
                options.marginals(), byPlace, config.seed()).withCalibration(calibration).withOrdinary(ordinary);
        if (constantTrend) {
            rk = rk.withConstantTrend(level);
        }
        if (!Double.isNaN(fallback)) {
            rk = rk.withFallback(fallback);
        }
        prov.put("kriging.model", rk.model().describe(metric.unit()));
        prov.put("kriging.neighbours", Integer.toString(rk.neighbours()));
        prov.put("kriging.window", Integer.toString(rk.window()));
        prov.put("training.seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9));
        return model.withGeoreference(geo).withResidualKriging(rk, earlier ? snapshot[0].components() : null)
                .withProvenance(prov);
    }

    /** Records candidate g of a fold from its trend at the training and held-out rows. */
    @FunctionalInterface
    private interface Candidate {
        void record(int g, double[] trainTrend, double[] heldOutTrend, double[] heldOutSpread);
    }

    /**
     * @param ordinary ordinary rather than simple kriging of the residuals
     * @param fallback the power p of the fallback weight, or NaN when the trend is the network of
     *     the configured epochs (nothing else to fall back to)
     */
    private record CvResult(int epochs, boolean ordinary, String candidates, double calibration, double rmseHybrid,
            double rmseTrend, double coverage, String rmseHybridByEpochs, String rmseOrdinaryByEpochs,
            String rmseTrendByEpochs, double fallback, String fallbackPowers, String rmseByFallback) {}

    /** The powers p of the fallback weight 1 − ρ^p that the cross-validation tries. */
    static final double[] FALLBACK_POWERS = {0.5, 1, 2, 4, 8, 16, 32, 64};

    private CvResult crossValidate(TrainingSet data, TrainConfig config, Options options, int[] rows,
            int[] loc, int nloc, int folds, double[] gx, double[] gy, double[] traw, double[] yAll,
            DistanceMetric metric, double unit, int maxLag, boolean byPlace, TrainingListener l) {
        ModelSpec spec = data.spec();
        int n = rows.length;
        int[] foldOf = new int[nloc];
        int[] perm = TrainingStatistics.allRows(nloc);
        SplittableRandom rnd = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        for (int i = nloc - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < nloc; i++) {
            foldOf[perm[i]] = i % folds;
        }
        int[] grid = checkpoints(config.epochs(), options.selectEpochs());
        // candidate 0 when choosing epochs: no trained trend, the fold's training mean (kriging
        // alone); candidates off.. are the checkpoints
        int off = options.selectEpochs() ? 1 : 0;
        int[] epochsOf = new int[grid.length + off];
        System.arraycopy(grid, 0, epochsOf, off, grid.length);
        int ne = epochsOf.length;
        // kriging types: simple, and for purely spatial data also ordinary (candidate ne + g is
        // candidate g's trend with ordinary kriging)
        boolean offerOrdinary = spec.time() == null;
        int nc = offerOrdinary ? 2 * ne : ne;
        double[][] cvMean = new double[nc][n];
        double[][] cvVar = new double[nc][n];
        double[][] cvSpread = new double[ne][n];
        double[][] cvTrend = new double[ne][n];
        double[][] cvRho = new double[nc][n];
        TrainConfig foldConfig = config.withEnsemble(Math.min(config.ensemble(), options.foldEnsemble()));
        // Checkpoint predictions run while the fold's training engine is live: on the plain-Java
        // backend, so that no device prediction network (up to 64 MiB of buffers each) is created
        // and dropped at every checkpoint. That garbage forced full collections, and a compacting
        // collection moves the Java arrays that a CPU OpenCL driver (pocl) uses as the live
        // engine's device memory: the JVM then crashed reading them from their old addresses.
        BayesNFPredictor predictor = new BayesNFPredictor(new JavaBackend(), threads, false);
        for (int k = 0; k < folds; k++) {
            List<Integer> tr = new ArrayList<>();
            List<Integer> ho = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (foldOf[loc[i]] == k ? ho : tr).add(i);
            }
            int[] trPos = tr.stream().mapToInt(Integer::intValue).toArray();
            int[] hoPos = ho.stream().mapToInt(Integer::intValue).toArray();
            int[] trRows = Arrays.stream(trPos).map(i -> rows[i]).toArray();
            int[] hoRows = Arrays.stream(hoPos).map(i -> rows[i]).toArray();
            TrainingSet trT = data.subset(trRows);
            TrainingSet hoT = data.subset(hoRows);
            double[] sx = Arrays.stream(trRows).mapToDouble(i -> gx[i]).toArray();
            double[] sy = Arrays.stream(trRows).mapToDouble(i -> gy[i]).toArray();
            double[] st = Arrays.stream(trRows).mapToDouble(i -> traw[i]).toArray();
            double[] yTr = Arrays.stream(trRows).mapToDouble(i -> yAll[i]).toArray();
            TrainConfig fc = foldConfig.batch() > trRows.length ? foldConfig.withBatch(0) : foldConfig;
            // one candidate's trend at the fold's training and held-out rows: krige the training
            // residuals to the held-out rows and record the hybrid's predictions
            Candidate krige = (g, trTrend, hoTrend, hoSpread) -> {
                double[] r = new double[yTr.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = yTr[i] - trTrend[i];
                }
                ResidualKriging fitted = ResidualKriging.fit(new Sites(sx, sy, st, r), metric, unit, maxLag,
                        options.neighbours(), options.marginals(), byPlace, config.seed());
                double[] kv = new double[4];
                for (int type = 0; type < nc / ne; type++) {
                    ResidualKriging.Kriger kr = fitted.withOrdinary(type == 1).kriger();
                    int c = type * ne + g;
                    for (int j = 0; j < hoRows.length; j++) {
                        int row = hoRows[j];
                        kr.krige(gx[row], gy[row], traw[row], true, kv);
                        int i = hoPos[j];
                        cvTrend[g][i] = hoTrend[j];
                        cvMean[c][i] = hoTrend[j] + kv[0];
                        cvVar[c][i] = kv[1];
                        cvSpread[g][i] = hoSpread[j];
                        cvRho[c][i] = kv[3];
                    }
                }
            };
            if (off == 1) {
                double level = Arrays.stream(yTr).average().orElse(0);
                double[] atHeldOut = new double[hoRows.length];
                Arrays.fill(atHeldOut, level);
                double[] atTraining = new double[yTr.length];
                Arrays.fill(atTraining, level);
                krige.record(0, atTraining, atHeldOut, new double[hoRows.length]);
            }
            BayesNFTrainer.Checkpoints cp = new BayesNFTrainer.Checkpoints(grid, (epoch, snap) -> {
                double[][] out = predictor.meanAndSpread(snap, hoT);
                krige.record(Arrays.binarySearch(grid, epoch) + off, predictor.meanAndSpread(snap, trT)[0], out[0],
                        out[1]);
            });
            new BayesNFTrainer(backend).fit(trT, fc, new Stage(l, (long) k * config.epochs(),
                    (long) folds * config.epochs() + config.epochs()), cp);
        }
        double[] y = Arrays.stream(rows).mapToDouble(i -> yAll[i]).toArray();
        // the lowest squared error over (epochs, kriging type); ties go to the earlier candidate:
        // fewer epochs, simple kriging
        int bestC = 0;
        double bestSse = Double.POSITIVE_INFINITY;
        StringBuilder byHybrid = new StringBuilder();
        StringBuilder byOrdinary = new StringBuilder();
        StringBuilder byTrend = new StringBuilder();
        for (int c = 0; c < nc; c++) {
            double sse = 0;
            for (int i = 0; i < n; i++) {
                double e = y[i] - cvMean[c][i];
                sse += e * e;
            }
            (c < ne ? byHybrid : byOrdinary).append(c % ne == 0 ? "" : ",").append(fmt(Math.sqrt(sse / n)));
            if (sse < bestSse) {
                bestSse = sse;
                bestC = c;
            }
        }
        for (int g = 0; g < ne; g++) {
            double sseT = 0;
            for (int i = 0; i < n; i++) {
                double et = y[i] - cvTrend[g][i];
                sseT += et * et;
            }
            byTrend.append(g == 0 ? "" : ",").append(fmt(Math.sqrt(sseT / n)));
        }
        // One-standard-error rule (Breiman et al. 1984), paired: the simplest candidate (fewest
        // epochs) whose excess squared error over the lowest, summed per cross-validation unit, is
        // within one standard error of its mean over the units. Candidates this close cannot be told apart on the data at hand (on 116 meuse
        // points CV errors 0.3% apart gave held-out errors 11% apart), and the simpler one is
        // the less variable choice.
        double[][] unitSse = new double[nc][nloc];
        for (int c = 0; c < nc; c++) {
            for (int i = 0; i < n; i++) {
                double e = y[i] - cvMean[c][i];
                unitSse[c][loc[i]] += e * e;
            }
        }
        int chosen = bestC;
        if (options.rule() == CvRule.ONE_STANDARD_ERROR) {
            search:
            for (int g = 0; g < ne; g++) {
                // ordinary kriging first: it assumes less (no known mean of the residuals, only a
                // locally constant one), and is the kriging analysts compare against
                for (int type = nc / ne - 1; type >= 0; type--) {
                    int c = type * ne + g;
                    if (c == bestC || withinOneStandardError(unitSse[c], unitSse[bestC])) {
                        chosen = c;
                        break search;
                    }
                }
            }
        }
        bestC = chosen;
        int best = bestC % ne;
        boolean ordinary = bestC >= ne;
        double[] m = cvMean[bestC];
        double[] v = cvVar[bestC];
        double[] sp = cvSpread[best];
        double c = calibrate(y, m, v, sp);
        double sseTrend = 0;
        int covered = 0;
        for (int i = 0; i < n; i++) {
            double e = y[i] - cvTrend[best][i];
            sseTrend += e * e;
            double sd = Math.sqrt(sp[i] + c * v[i]);
            covered += Math.abs(y[i] - m[i]) <= 1.959964 * sd ? 1 : 0;
        }
        StringBuilder cand = new StringBuilder();
        for (int g = 0; g < epochsOf.length; g++) {
            cand.append(g == 0 ? "" : ",").append(epochsOf[g]);
        }
        // The fallback outside the training period: a trend other than the network of the
        // configured epochs (the last candidate) gives way to that network where the kriging
        // explains little, with weight 1 - rho^p. The held-out rows lie inside the period; the
        // blend is scored on them as if they did not, for the rate at which the kriging's
        // information should buy the chosen trend over the full network: p by the same
        // cross-validated squared error (ties: the larger p, the less change)
        double fallback = Double.NaN;
        StringBuilder powers = new StringBuilder();
        StringBuilder byPower = new StringBuilder();
        int last = epochsOf.length - 1;
        // only data with time: the fallback is for times outside the training period, which a
        // purely spatial model does not have (its held-out places are what the trend was chosen for)
        if (best != last && spec.time() != null) {
            double bestBlend = Double.POSITIVE_INFINITY;
            for (int j = FALLBACK_POWERS.length - 1; j >= 0; j--) {
                double p = FALLBACK_POWERS[j];
                double sse = 0;
                for (int i = 0; i < n; i++) {
                    double w = 1 - Math.pow(Math.min(1, cvRho[bestC][i]), p);
                    double e = y[i] - (w * m[i] + (1 - w) * cvTrend[last][i]);
                    sse += e * e;
                }
                powers.insert(0, (j == 0 ? "" : ",") + fmt(p));
                byPower.insert(0, (j == 0 ? "" : ",") + fmt(Math.sqrt(sse / n)));
                if (sse < bestBlend) {
                    bestBlend = sse;
                    fallback = p;
                }
            }
        }
        double sseChosen = 0;
        for (double u : unitSse[bestC]) {
            sseChosen += u;
        }
        return new CvResult(epochsOf[best], ordinary, cand.toString(), c, Math.sqrt(sseChosen / n),
                Math.sqrt(sseTrend / n), (double) covered / n, byHybrid.toString(), byOrdinary.toString(),
                byTrend.toString(), fallback, powers.toString(), byPower.toString());
    }

    /**
     * Whether candidate {@code a} is within one standard error of the lowest-error candidate
     * {@code b}: the mean over units of the paired excess a − b is at most its standard error.
     */
    static boolean withinOneStandardError(double[] a, double[] b) {
        int u = a.length;
        if (u < 2) {
            return false;
        }
        double mean = 0;
        for (int i = 0; i < u; i++) {
            mean += a[i] - b[i];
        }
        mean /= u;
        double ss = 0;
        for (int i = 0; i < u; i++) {
            double d = a[i] - b[i] - mean;
            ss += d * d;
        }
        return mean <= Math.sqrt(ss / (u - 1) / u);
    }

    /**
     * Numbers the (place, time block) segments of the rows: the training time span is cut into
     * {@code blocks} equal blocks. Writes each row's segment to {@code group}; returns how many.
     */
    static int segments(int[] rows, int[] loc, double[] traw, int blocks, int[] group) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r : rows) {
            lo = Math.min(lo, traw[r]);
            hi = Math.max(hi, traw[r]);
        }
        double span = hi - lo;
        Map<Long, Integer> ids = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            int b = blocks == 1 || span <= 0 ? 0 : (int) Math.min(blocks - 1, Math.floor((traw[rows[i]] - lo) / span * blocks));
            Integer id = ids.putIfAbsent((long) loc[i] * blocks + b, ids.size());
            group[i] = id == null ? ids.size() - 1 : id;
        }
        return ids.size();
    }

    /** The factor c minimising the mean CRPS of Normal(m, spread + c·v) for observations y. */
    static double calibrate(double[] y, double[] m, double[] v, double[] spread) {
        UnivariateObjectiveFunction f = new UnivariateObjectiveFunction(logc -> {
            double c = Math.exp(logc);
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += crps(y[i], m[i], Math.sqrt(spread[i] + c * v[i]));
            }
            return s / y.length;
        });
        return Math.exp(new BrentOptimizer(1e-6, 1e-9).optimize(new MaxEval(500), f, GoalType.MINIMIZE,
                new SearchInterval(Math.log(1e-3), Math.log(1e3), 0)).getPoint());
    }

    /** CRPS of Normal(m, sd²) at y (Gneiting and Raftery 2007). */
    static double crps(double y, double m, double sd) {
        if (!(sd > 0)) {
            return Math.abs(y - m);
        }
        double z = (y - m) / sd;
        double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        return sd * (z * (2 * NeuralFieldMath.normalCdf(z) - 1) + 2 * pdf - 1 / Math.sqrt(Math.PI));
    }

    /** Checkpoint epochs: E/16, E/8, E/4, E/2, E (distinct, at least 1), or E alone. */
    static int[] checkpoints(int epochs, boolean select) {
        if (!select) {
            return new int[] {epochs};
        }
        return Arrays.stream(new int[] {epochs / 16, epochs / 8, epochs / 4, epochs / 2, epochs}).filter(e -> e >= 1)
                .distinct().sorted().toArray();
    }

    /**
     * The time that lag 1 stands for: 1 period for calendar time; for numeric time the median
     * gap between consecutive distinct training times (1 without time or with one time).
     */
    static double timeUnit(ModelSpec spec, double[] traw, int[] rows) {
        if (spec.time() == null || spec.freq() != null) {
            return 1;
        }
        double[] t = Arrays.stream(rows).mapToDouble(i -> traw[i]).sorted().distinct().toArray();
        if (t.length < 2) {
            return 1;
        }
        double[] gaps = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            gaps[i - 1] = t[i] - t[i - 1];
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }

    private static int maxLag(ModelSpec spec, double[] traw, int[] rows, double unit, int cap) {
        if (spec.time() == null) {
            return 0;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r : rows) {
            lo = Math.min(lo, traw[r]);
            hi = Math.max(hi, traw[r]);
        }
        return (int) Math.min(cap, Math.round((hi - lo) / unit));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Maps the epochs of one stage (a fold, the final fit) onto the progress of the whole fit. */
    private static final class Stage implements TrainingListener {
        private final TrainingListener l;
        private final long before;
        private final long total;

        /**
         * @param before epochs of the stages before this one
         * @param total epochs of all stages
         */
        Stage(TrainingListener l, long before, long total) {
            this.l = l;
            this.before = before;
            this.total = total;
        }

        @Override
        public void epoch(int epoch, int stageTotal, double loss) {
            l.epoch((int) Math.min(Integer.MAX_VALUE, before + epoch), (int) Math.min(Integer.MAX_VALUE,
                    Math.max(total, before + stageTotal)), loss);
        }

        @Override
        public boolean isCancelled() {
            return l.isCancelled();
        }
    }
}
