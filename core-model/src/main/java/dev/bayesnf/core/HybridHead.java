package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.core.kriging.Sites;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One hybrid of the final model ({@link HybridTrainer}): the kriging of a trend's residuals and
 * the trend's parameters when they are not the model's own network. A model has one for observed
 * places and, for data with time, may have a second for new places ({@link NewPlacesHybrid}).
 *
 * @param kriging the kriging of the trend's in-sample residuals, or null when every residual is
 *     zero (nothing to krige)
 * @param trend the trend's parameters when they are not the model's own network (a snapshot at
 *     fewer epochs), or null: its own network, or the constant trend of {@code kriging}
 */
record HybridHead(ResidualKriging kriging, float[][] trend) {
    /**
     * What the heads of one fit share: the trend at every table row and the fitted variogram of its
     * residuals, by epochs (and place scale), so that two heads of the same trend predict it and
     * fit its variogram once.
     */
    static final class Shared {
        private final Map<Integer, double[]> trends = new HashMap<>();
        private final Map<List<Object>, Optional<ResidualKriging>> fitted = new HashMap<>();
    }

    /**
     * The hybrid the cross-validation {@code cv} chose (null: none, the configured epochs and
     * c = 1), with {@code epochs} its trend's epochs; records its choices under {@code key}.
     */
    static HybridHead of(ComputeBackend backend, int threads, HybridLayout at, TrainingSet data, BayesNFModel model,
            Map<Integer, BayesNFModel> snapshots, TrainConfig config, HybridTrainer.Options options,
            HybridCrossValidation.Result cv, int epochs, String key, Map<String, String> prov, Shared shared) {
        boolean constantTrend = epochs == 0;
        boolean earlier = !constantTrend && epochs < config.epochs();
        BayesNFModel trendModel = earlier ? snapshots.get(epochs) : model;
        double[] trend = constantTrend ? null : shared.trends.computeIfAbsent(epochs,
                e -> new BayesNFPredictor(backend, threads, false).meanAndSpread(trendModel, data)[0]);
        boolean scaled = cv == null ? at.byPlace() : cv.placeScale();
        double calibration = cv == null ? 1 : cv.calibration();
        double fallback = cv == null ? Double.NaN : cv.fallback();
        boolean ordinary = cv != null && cv.ordinary();
        prov.put(key + "trend", constantTrend ? "constant (the training mean: the cross-validation preferred it to"
                + " every trained trend)" : earlier ? "bayesnf at " + epochs + " of " + config.epochs() + " epochs"
                : "bayesnf");
        prov.put(key + "fallback", Double.isNaN(fallback) ? "none" : "to BayesNF alone (" + config.epochs()
                + " epochs), hybrid weight 1 - rho^" + HybridCrossValidation.fmt(fallback));
        prov.put(key + "calibration", HybridCrossValidation.fmt(calibration));
        prov.put(key + "type", ordinary ? "ordinary" : "simple");
        prov.put(key + "place.scale", scaled ? "yes" : "no");
        Residuals residuals = residuals(at, model.stats(), trend);
        Optional<ResidualKriging> base = shared.fitted.computeIfAbsent(List.of(epochs, scaled),
                k -> Optional.ofNullable(residuals.sites()).map(sites -> ResidualKriging.fit(sites, at.metric(),
                        at.unit(), at.maxLag(), options.neighbours(), options.marginals(), scaled, config.seed())));
        if (base.isEmpty()) {
            return new HybridHead(null, null);
        }
        ResidualKriging rk = base.get().withCalibration(calibration).withOrdinary(ordinary);
        if (constantTrend) {
            rk = rk.withConstantTrend(residuals.level());
        }
        if (!Double.isNaN(fallback)) {
            rk = rk.withFallback(fallback);
        }
        if (cv != null && options.recalibrate()) {
            rk = rk.withRecalibration(cv.recalibration());
        }
        prov.put(key + "quantile.recalibration", rk.recalibration().map(r -> r.describe()).orElse("none"));
        prov.put(key + "model", rk.model().describe(at.metric().unit()));
        prov.put(key + "neighbours", Integer.toString(rk.neighbours()));
        prov.put(key + "window", Integer.toString(rk.window()));
        return new HybridHead(rk, earlier ? trendModel.components() : null);
    }

    /**
     * The trend's in-sample residuals at the observed rows (target's scaled units).
     *
     * @param sites the residuals, or null when every one is zero (nothing to krige)
     * @param level the constant trend's level (the scaled target's training mean), 0 for a network
     */
    private record Residuals(Sites sites, double level) {}

    /**
     * The residuals of {@code trend} at the observed rows.
     *
     * @param trend the trend at every table row, or null for the constant trend (the training mean)
     */
    private static Residuals residuals(HybridLayout at, TrainingStatistics st, double[] trend) {
        int[] rows = at.rows();
        int n = rows.length;
        double[] sx = new double[n];
        double[] sy = new double[n];
        double[] stt = new double[n];
        double[] r = new double[n];
        double level = 0;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            sx[i] = at.gx()[row];
            sy[i] = at.gy()[row];
            stt[i] = at.traw()[row];
            r[i] = trend == null ? st.scaleTarget(at.yAll()[row]) : (at.yAll()[row] - trend[row]) / st.targetStd();
            level += trend == null ? r[i] / n : 0;
        }
        boolean any = false;
        for (int i = 0; i < n; i++) {
            r[i] -= level;
            any |= r[i] != 0;
        }
        return new Residuals(any ? new Sites(sx, sy, stt, r) : null, level);
    }

}
