package dev.bayesnf.core;

import dev.bayesnf.core.kriging.ResidualKriging;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The target's scale chosen by the data ({@code --target-scaling auto}): before any training,
 * kriging alone (each fold's training mean, its residuals kriged, as the hybrid's candidate of 0
 * epochs) is cross-validated on every scale the target allows, over the same deal of the same
 * units into folds, and each scale is scored by the CRPS of its held-out predictive distributions
 * in the target's own units. The candidates, simplest first: {@link TargetScaling#STANDARD},
 * {@link TargetScaling#SQRT} for a target never below 0, {@link TargetScaling#LOG} for one always
 * above 0. Under the one-standard-error rule the first within one standard error (over the units)
 * of the lowest is taken; under the lowest-error rule the lowest.
 *
 * <p>Why a pre-pass of kriging alone: it needs no training (seconds, where the hybrid's
 * cross-validation trains a network per fold), it sees what the scale does to the residual field
 * (a spread that grows with the level, as counts have; a right-skewed error, as PM10 has), and it is
 * scored where the choice matters, in the target's units: each scale's own errors are in its own
 * units and cannot be compared. The kriging variance is calibrated per scale (c minimising the CRPS
 * on that scale, as the hybrid does), so a scale is not penalised for a variogram's sill.
 *
 * <p>Stateless.
 */
final class TargetScaleChoice {
    /** Quantile levels (k + 1/2)/LEVELS of the grid on which a transformed normal's CRPS is summed. */
    static final int LEVELS = 100;
    /** The standard normal's quantiles at those levels. */
    private static final double[] Z = java.util.stream.IntStream.range(0, LEVELS)
            .mapToDouble(k -> NeuralFieldMath.normalQuantile((k + 0.5) / LEVELS)).toArray();

    private TargetScaleChoice() {}

    /**
     * @param scaling the scale chosen
     * @param scores each candidate's mean CRPS in the target's units, e.g. "standard 1.23, sqrt 1.10"
     */
    record Choice(TargetScaling scaling, String scores) {}

    /** The scales a target with these observed values may take, simplest first. */
    static List<TargetScaling> candidates(double[] y) {
        double min = Arrays.stream(y).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
        List<TargetScaling> c = new ArrayList<>(List.of(TargetScaling.STANDARD));
        if (min >= 0) {
            c.add(TargetScaling.SQRT);
        }
        if (min > 0) {
            c.add(TargetScaling.LOG);
        }
        return c;
    }

    /** The scales the target of {@code spec} may take, from its values in {@code table} as read. */
    static List<TargetScaling> candidates(DataTable table, ModelSpec spec) {
        return candidates(TrainingSet.of(spec.withTargetScaling(TargetScaling.STANDARD), table).targetValues());
    }

    /**
     * Chooses the target's scale for {@code spec} (whose own scaling is ignored) from the training
     * table, with the cross-validation settings of {@code options}.
     */
    static Choice choose(DataTable table, ModelSpec spec, Georeference geo, HybridTrainer.Options options, long seed) {
        TrainingSet raw = TrainingSet.of(spec.withTargetScaling(TargetScaling.STANDARD), table);
        List<TargetScaling> cands = candidates(raw.targetValues());
        if (cands.size() == 1) {
            return new Choice(TargetScaling.STANDARD, "standard only (the target has values below 0)");
        }
        double[][] unitCrps = new double[cands.size()][];
        double[] total = new double[cands.size()];
        for (int k = 0; k < cands.size(); k++) {
            TrainingSet d = cands.get(k) == TargetScaling.STANDARD ? raw
                    : TrainingSet.of(spec.withTargetScaling(cands.get(k)), table);
            unitCrps[k] = unitCrps(d, geo, options, seed, cands.get(k));
            total[k] = Arrays.stream(unitCrps[k]).sum();
        }
        int best = 0;
        for (int k = 1; k < cands.size(); k++) {
            best = total[k] < total[best] ? k : best;
        }
        int chosen = best;
        if (options.rule() == HybridTrainer.CvRule.ONE_STANDARD_ERROR) {
            for (int k = 0; k < best; k++) {
                if (HybridTrainer.withinOneStandardError(unitCrps[k], unitCrps[best])) {
                    chosen = k;
                    break;
                }
            }
        }
        int rows = raw.rows().length;
        StringBuilder scores = new StringBuilder();
        for (int k = 0; k < cands.size(); k++) {
            scores.append(k == 0 ? "" : ", ").append(cands.get(k).id()).append(' ')
                    .append(String.format(Locale.ROOT, "%.6g", total[k] / rows));
        }
        return new Choice(cands.get(chosen), scores.toString());
    }

    /**
     * Kriging alone cross-validated on the scale of {@code data}: the sum of the held-out rows' CRPS
     * in the target's units per cross-validation unit.
     */
    private static double[] unitCrps(TrainingSet data, Georeference geo, HybridTrainer.Options options, long seed,
            TargetScaling ts) {
        HybridLayout at = HybridLayout.of(data, geo, options);
        int folds = Math.min(Math.max(2, options.folds()), at.ngroups());
        int[] rows = at.rows();
        int n = rows.length;
        double[] g = Arrays.stream(rows).mapToDouble(i -> at.yAll()[i]).toArray();
        double level = Arrays.stream(g).average().orElse(0);
        // one variogram for every fold, fitted to all rows about their mean (as gstat's krige.cv and
        // the calibration deals of kriging alone): the scales are compared, not the variograms
        ResidualKriging once = ResidualKriging.fit(KrigingAlone.sites(at, java.util.stream.IntStream.range(0, n)
                .toArray(), level), at.metric(), at.unit(), at.maxLag(), options.neighbours(), options.marginals(),
                at.byPlace(), seed);
        double[][] mv = KrigingAlone.predict(at, options, KrigingAlone.deal(at.ngroups(), folds, seed, 0), folds, seed,
                false, once);
        double c = HybridCrossValidation.calibrate(g, mv[0], mv[1], new double[n]);
        double[] byUnit = new double[at.ngroups()];
        for (int i = 0; i < n; i++) {
            double y = ts.inverse(g[i]);
            byUnit[at.group()[i]] += crps(ts, y, mv[0][i], Math.sqrt(c * mv[1][i]), Z);
        }
        return byUnit;
    }

    /**
     * CRPS of g⁻¹(N(m, sd²)) at y in the target's units, as twice the mean pinball loss over the
     * quantile levels of {@code z} (the standard normal's quantiles at (k + 1/2)/K): exact as K grows,
     * and the same approximation for every scale.
     */
    static double crps(TargetScaling ts, double y, double m, double sd, double[] z) {
        double s = 0;
        for (int k = 0; k < z.length; k++) {
            double tau = (k + 0.5) / z.length;
            double q = ts.inverse(m + sd * z[k]);
            s += (y < q ? 1 - tau : tau) * Math.abs(y - q);
        }
        return 2 * s / z.length;
    }
}
