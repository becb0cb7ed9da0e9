package dev.bayesnf.core;

import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.core.kriging.Sites;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The deals of the cross-validation units into folds and kriging alone (each fold's training
 * mean, its residuals kriged) at the held-out rows of a deal, for {@link HybridCrossValidation}.
 * Stateless.
 */
final class KrigingAlone {
    private KrigingAlone() {}

    /**
     * The units dealt into folds: a seeded shuffle, then round robin. Deal 0 is the one the
     * candidates are trained on; the others only recalibrate kriging alone.
     */
    static int[] deal(int nloc, int folds, long seed, int deal) {
        int[] foldOf = new int[nloc];
        int[] perm = TrainingStatistics.allRows(nloc);
        SplittableRandom rnd = new SplittableRandom((seed ^ 0x5DEECE66DL) + 0x9E3779B97F4A7C15L * deal);
        for (int i = nloc - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < nloc; i++) {
            foldOf[perm[i]] = i % folds;
        }
        return foldOf;
    }

    /** The residuals about {@code level} of the observed rows at positions {@code pos}. */
    static Sites sites(HybridLayout at, int[] pos, double level) {
        int[] rows = at.rows();
        return new Sites(Arrays.stream(pos).mapToDouble(i -> at.gx()[rows[i]]).toArray(),
                Arrays.stream(pos).mapToDouble(i -> at.gy()[rows[i]]).toArray(),
                Arrays.stream(pos).mapToDouble(i -> at.traw()[rows[i]]).toArray(),
                Arrays.stream(pos).mapToDouble(i -> at.yAll()[rows[i]] - level).toArray());
    }

    /**
     * Kriging alone (each fold's training mean, its residuals kriged) at every observed row from
     * the other folds of {@code foldOf}: {mean, kriging variance}, in the target's units. Each fold
     * fits its own variogram, as the candidates do, or uses the one of {@code once} (null: its own).
     */
    static double[][] predict(HybridLayout at, HybridTrainer.Options options, int[] foldOf, int folds,
            long seed, boolean ordinary, ResidualKriging once) {
        int[] rows = at.rows();
        int[] unit = at.group();
        int n = rows.length;
        double[] mean = new double[n];
        double[] var = new double[n];
        double[] kv = new double[4];
        for (int k = 0; k < folds; k++) {
            final int fold = k;
            int[] tr = java.util.stream.IntStream.range(0, n).filter(i -> foldOf[unit[i]] != fold).toArray();
            double level = Arrays.stream(tr).mapToDouble(i -> at.yAll()[rows[i]]).average().orElse(0);
            Sites sites = sites(at, tr, level);
            ResidualKriging.Kriger kr = (once != null ? once.withData(sites, at.byPlace())
                    : ResidualKriging.fit(sites, at.metric(), at.unit(), at.maxLag(), options.neighbours(),
                            options.marginals(), at.byPlace(), seed).withOrdinary(ordinary)).kriger();
            for (int i = 0; i < n; i++) {
                if (foldOf[unit[i]] == fold) {
                    int row = rows[i];
                    kr.krige(at.gx()[row], at.gy()[row], at.traw()[row], true, kv);
                    mean[i] = level + kv[0];
                    var[i] = kv[1];
                }
            }
        }
        return new double[][] {mean, var};
    }
}
