package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.kriging.Marginal;
import dev.bayesnf.core.kriging.ResidualKriging;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

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
 *       predictor). Where the units are whole places (purely spatial data, the cross-validation
 *       of the hybrid at new places) each checkpoint is kriged both ways, simple and ordinary,
 *       and the kriging type is chosen with the epochs. By default
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
 *   <li><b>New places.</b> For data with time the units of steps 1 to 4 are (place, time block)
 *       segments: a place is held out for a period while its other periods train, as when a
 *       station's gap is filled or its series forecast. That is optimistic for a place never
 *       observed (a map between stations): the trend has learnt each held-out place's level from
 *       its other periods. So steps 1 to 4 run a second time with whole places as the units, and
 *       their choice becomes the hybrid at new places ({@link NewPlacesHybrid}); a prediction
 *       uses it wherever its coordinates are not those of a training row
 *       ({@link Options#newPlaces}).
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
     * @param newPlaces for data with time cross-validated by (place, time block) segments: a
     *     second cross-validation by whole places chooses the hybrid at places the training never
     *     observed ({@link NewPlacesHybrid})
     * @param recalibrate recalibrate the hybrid's quantile levels by the cross-validation's PIT
     *     values ({@link dev.bayesnf.core.kriging.QuantileRecalibration})
     * @param chooseScaling choose the target's scale by the data ({@link TargetScaleChoice}; the
     *     spec's scaling is then ignored)
     */
    public record Options(boolean residualKriging, int folds, int timeBlocks, int foldEnsemble, boolean selectEpochs,
            int neighbours, int maxLag, Set<Marginal> marginals, boolean placeScale, CvRule rule, boolean newPlaces,
            boolean recalibrate, boolean chooseScaling) {
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
                    Set.of(Marginal.EXPONENTIAL), true, CvRule.ONE_STANDARD_ERROR, true, true, false);
        }

        /** BayesNF alone. */
        public static Options off() {
            return new Options(false, 0, 1, 8, false, ResidualKriging.DEFAULT_NEIGHBOURS, DEFAULT_MAX_LAG,
                    Set.of(Marginal.EXPONENTIAL), true, CvRule.ONE_STANDARD_ERROR, false, false, false);
        }

        public Options withFolds(int k) {
            return new Options(residualKriging, k, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag, marginals,
                    placeScale, rule, newPlaces, recalibrate, chooseScaling);
        }

        public Options withTimeBlocks(int b) {
            return new Options(residualKriging, folds, b, foldEnsemble, selectEpochs, neighbours, maxLag, marginals,
                    placeScale, rule, newPlaces, recalibrate, chooseScaling);
        }

        public Options withNeighbours(int n) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, n, maxLag, marginals,
                    placeScale, rule, newPlaces, recalibrate, chooseScaling);
        }

        public Options withMaxLag(int lag) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, lag, marginals, placeScale, rule, newPlaces, recalibrate, chooseScaling);
        }

        public Options withSelectEpochs(boolean select) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, select, neighbours, maxLag, marginals,
                    placeScale, rule, newPlaces, recalibrate, chooseScaling);
        }

        public Options withMarginals(Set<Marginal> m) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag, m,
                    placeScale, rule, newPlaces, recalibrate, chooseScaling);
        }

        public Options withRule(CvRule r) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, placeScale, r, newPlaces, recalibrate, chooseScaling);
        }

        public Options withNewPlaces(boolean np) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, placeScale, rule, np, recalibrate, chooseScaling);
        }

        public Options withRecalibrate(boolean r) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, placeScale, rule, newPlaces, r, chooseScaling);
        }

        /** With the target's scale chosen by the data ({@link TargetScaleChoice}) instead of the spec's. */
        public Options withChooseScaling(boolean choose) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, placeScale, rule, newPlaces, recalibrate, choose);
        }

        public Options withPlaceScale(boolean p) {
            return new Options(residualKriging, folds, timeBlocks, foldEnsemble, selectEpochs, neighbours, maxLag,
                    marginals, p, rule, newPlaces, recalibrate, chooseScaling);
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
     * <p>The schedule of the hybrid: where and when the rows were observed ({@link HybridLayout}),
     * the cross-validation's choice ({@link HybridCrossValidation}), the network trained on all
     * rows with its trend on the way, the trend's residuals, and their kriging.
     *
     * @throws DataException for unusable data, before any training
     * @throws IllegalArgumentException for residual kriging without coordinates or with counts
     * @throws CancellationException when the listener cancels
     */
    public BayesNFModel fit(DataTable table, ModelSpec spec, TrainConfig config, Georeference geo, Options options,
            TrainingListener listener) {
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        TrainingSet data = TrainingSet.of(spec, table);
        if (!options.residualKriging()) {
            BayesNFModel alone = new BayesNFTrainer(backend).fit(data, config, l, null).withGeoreference(geo);
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
        Map<String, String> prov = new LinkedHashMap<>();
        if (options.chooseScaling()) {
            TargetScaleChoice.Choice choice = TargetScaleChoice.choose(table, spec, geo, options, config.seed());
            if (choice.scaling() != data.spec().targetScaling()) {
                data = TrainingSet.of(spec.withTargetScaling(choice.scaling()), table);
            }
            prov.put("target.scaling.choice", "auto (kriging alone cross-validated, mean CRPS in the target's units: "
                    + choice.scores() + ")");
        }
        HybridLayout at = HybridLayout.of(data, geo, options);
        prov.put("cv.locations", Integer.toString(at.nloc()));
        prov.put("cv.time.blocks", Integer.toString(at.blocks()));
        prov.put("cv.rule", options.rule().id());
        prov.put("kriging.distance.unit", at.metric().unit());
        prov.put("kriging.marginals", options.marginals().stream().sorted().map(Marginal::id)
                .collect(java.util.stream.Collectors.joining(",")));
        prov.put("kriging.time.unit", fmt(at.unit()));
        int folds = Math.min(options.folds(), at.ngroups());
        HybridLayout places = placesLayout(data, geo, options, at);
        int placeFolds = places == null ? 0 : Math.min(options.folds(), places.ngroups());
        long total = ((long) folds + placeFolds + 1) * config.epochs();
        HybridCrossValidation.Result cv = crossValidate(data, config, options, at, folds, prov, "cv.", l, 0, total);
        HybridCrossValidation.Result cvNew = null;
        if (cv != null && places != null) {
            Map<String, String> provNew = new LinkedHashMap<>();
            cvNew = crossValidate(data, config, options, places, placeFolds, provNew, "cv.new.places.", l,
                    (long) folds * config.epochs(), total);
            provNew.forEach(prov::put);
        }
        int epochs = cv == null ? config.epochs() : cv.epochs();
        int epochsNew = cvNew == null ? config.epochs() : cvNew.epochs();
        // The network is trained for the configured epochs: it is BayesNF alone, for predictions
        // without residual kriging and for the fallback away from the data. The trend is what the
        // cross-validation chose: epochs 0, the training mean (kriging alone); fewer epochs, the
        // same training's state at that epoch (a snapshot on the way); else the network itself.
        int[] snapshotAt = java.util.stream.IntStream.of(epochs, epochsNew).filter(e -> e > 0 && e < config.epochs())
                .distinct().sorted().toArray();
        long before = cv != null ? (long) (folds + (cvNew != null ? placeFolds : 0)) * config.epochs() : 0;
        Stage finalStage = new Stage(l, before, before + config.epochs());
        Map<Integer, BayesNFModel> snapshots = new java.util.HashMap<>();
        BayesNFModel model = new BayesNFTrainer(backend).fit(data, config, finalStage, snapshotAt.length > 0
                ? new BayesNFTrainer.Checkpoints(snapshotAt, snapshots::put) : null);
        ModelProvenance.Builder recorded = model.provenanceRecord().toBuilder();
        HybridHead.Shared shared = new HybridHead.Shared();
        HybridHead head = HybridHead.of(backend, threads, at, data, model, snapshots, config, options, cv, epochs,
                "kriging.", prov, shared);
        prov.forEach(recorded::put);
        if (head.kriging() == null) {
            return model.withGeoreference(geo).withProvenance(
                    recorded.residualKriging("no (every residual is zero: nothing to krige)").build());
        }
        NewPlacesHybrid newPlaces = null;
        if (cvNew != null) {
            Map<String, String> provNew = new LinkedHashMap<>();
            HybridHead h = HybridHead.of(backend, threads, at, data, model, snapshots, config, options, cvNew,
                    epochsNew, "kriging.new.places.", provNew, shared);
            provNew.forEach(recorded::put);
            if (h.kriging() != null) {
                newPlaces = new NewPlacesHybrid(h.kriging(), h.trend());
                recorded.put("kriging.new.places", "yes (cross-validated by whole places, for predictions at places"
                        + " the training never observed)");
            } else {
                recorded.put("kriging.new.places", "no (every residual of that trend is zero)");
            }
        } else {
            recorded.put("kriging.new.places", places == null ? "no (" + whyNoPlaces(data.spec(), at, options) + ")"
                    : cv == null ? "no (no cross-validation)" : "no (the cross-validation by whole places could not be"
                            + " fitted)");
        }
        recorded.residualKriging("yes").trainingSeconds((System.nanoTime() - started) / 1e9);
        return model.withGeoreference(geo).withResidualKriging(head.kriging(), head.trend()).withNewPlaces(newPlaces)
                .withProvenance(recorded.build());
    }

    /**
     * The layout of the cross-validation by whole places, when the hybrid at new places gets one
     * of its own ({@link Options#newPlaces}): data with time whose cross-validation holds out
     * (place, time block) segments, at least 3 places and 2 folds. Else null.
     */
    static HybridLayout placesLayout(TrainingSet data, Georeference geo, Options options, HybridLayout at) {
        if (whyNoPlaces(data.spec(), at, options) != null) {
            return null;
        }
        return HybridLayout.of(data, geo, options.withTimeBlocks(1));
    }

    /** Why the model has no separate hybrid at new places, or null when it gets one. */
    private static String whyNoPlaces(ModelSpec spec, HybridLayout at, Options options) {
        if (spec.time() == null) {
            return "purely spatial data: every cross-validation unit is a whole place already";
        }
        if (!options.newPlaces()) {
            return "not asked for";
        }
        if (at.blocks() <= 1) {
            return "the cross-validation holds out whole places already";
        }
        if (at.nloc() < 3 || Math.min(options.folds(), at.nloc()) < 2) {
            return "fewer than 3 places or 2 folds";
        }
        return null;
    }

    /**
     * How long {@link #fit} would take with these arguments, estimated after a timed warm-up of a
     * few training steps on this trainer's backend ({@link FitEstimate}).
     *
     * @throws DataException or IllegalArgumentException as the fit would, for unusable data or settings
     */
    public FitEstimate estimate(DataTable table, ModelSpec spec, TrainConfig config, Georeference geo, Options options) {
        return FitEstimate.of(backend, threads, table, spec, config, geo, options);
    }

    /**
     * Steps 1 to 4, recorded in {@code prov}: the cross-validation's choice, or null (with a note)
     * where there is none: too few units, none asked for, or a fold that cannot be fitted.
     */
    private HybridCrossValidation.Result crossValidate(TrainingSet data, TrainConfig config, Options options,
            HybridLayout at, int folds, Map<String, String> prov, String key, TrainingListener l, long before,
            long total) {
        if (at.ngroups() < 3 || folds < 2) {
            prov.put(key + "folds", "0");
            prov.put(key + "note", at.ngroups() < 3 ? "no cross-validation: fewer than 3 places or place-periods ("
                    + at.ngroups() + "); in-sample residuals kriged uncalibrated" : "no cross-validation asked for");
            return null;
        }
        HybridCrossValidation.Result cv;
        try {
            cv = new HybridCrossValidation(backend, threads).run(data, config, options, at, folds, l, before, total);
        } catch (DataException e) {
            prov.put(key + "folds", "0");
            prov.put(key + "note", "no location-wise cross-validation (a fold could not be fitted: "
                    + e.getMessage() + "); in-sample residuals kriged uncalibrated");
            return null;
        }
        prov.put(key + "folds", Integer.toString(folds));
        prov.put(key + "fold.ensemble", Integer.toString(Math.min(config.ensemble(), options.foldEnsemble())));
        prov.put(key + "epochs.candidates", cv.candidates());
        prov.put(key + "epochs.chosen", Integer.toString(cv.epochs()));
        prov.put(key + "rmse.hybrid", fmt(cv.rmseHybrid()));
        prov.put(key + "rmse.bayesnf", fmt(cv.rmseTrend()));
        prov.put(key + "coverage95", fmt(cv.coverage()));
        prov.put(key + "calibration.deals", Integer.toString(cv.calibrationDeals()));
        cv.rmseByKind().forEach((kind, rmse) -> prov.put(key + "rmse." + kind + ".by.epochs", rmse));
        prov.put(key + "rmse.bayesnf.by.epochs", cv.rmseTrendByEpochs());
        if (!Double.isNaN(cv.fallback())) {
            prov.put(key + "fallback.powers", cv.fallbackPowers());
            prov.put(key + "rmse.by.fallback.power", cv.rmseByFallback());
        }
        return cv;
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

    private static String fmt(double v) {
        return HybridCrossValidation.fmt(v);
    }

    /** Maps the epochs of one stage (a fold, the final fit) onto the progress of the whole fit. */
    static final class Stage implements TrainingListener {
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
