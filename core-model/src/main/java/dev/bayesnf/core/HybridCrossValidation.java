package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.JavaBackend;
import dev.bayesnf.core.kriging.QuantileRecalibration;
import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.core.kriging.Sites;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;

/**
 * The location-wise cross-validation of {@link HybridTrainer} (its steps 1 to 4): every
 * candidate hybrid predicts the units of each fold from the other folds ({@link #heldOut}), and
 * the cross-validated errors choose the trend's epochs and the kriging type, the calibration of
 * the kriging variance and the power of the fallback ({@link #choose}).
 *
 * <p>Thread-safe: every call has its own state.
 */
final class HybridCrossValidation {
    /** The powers p of the fallback weight 1 − ρ^p that the cross-validation tries. */
    static final double[] FALLBACK_POWERS = {0.5, 1, 2, 4, 8, 16, 32, 64};
    /**
     * More deals of the units into folds with which the calibration of kriging alone is
     * estimated, when the cross-validation chooses it: the calibration from one deal of 100
     * places varied from 0.56 to 0.82 between seeds on SIC97 (95% coverage 0.89 to 0.94).
     */
    static final int CALIBRATION_DEALS = 10;
    /** At most this many held-out rows kriged over those deals (fewer deals for larger data). */
    static final long CALIBRATION_ROWS = 200_000;

    private final ComputeBackend backend;
    private final int threads;

    HybridCrossValidation(ComputeBackend backend, int threads) {
        this.backend = backend;
        this.threads = threads;
    }

    /**
     * @param ordinary ordinary rather than simple kriging of the residuals
     * @param placeScale whether the residuals are kriged as standardized anomalies (each divided by
     *     its place's scale, {@link dev.bayesnf.core.kriging.LocationScale})
     * @param rmseByKind the cross-validated RMSE of each kind of candidate by epochs, keyed by the
     *     kind's provenance name ({@link #kindName})
     * @param fallback the power p of the fallback weight, or NaN when the trend is the network of
     *     the configured epochs (nothing else to fall back to)
     */
    record Result(int epochs, boolean ordinary, boolean placeScale, String candidates, double calibration,
            double rmseHybrid, double rmseTrend, double coverage, java.util.Map<String, String> rmseByKind,
            String rmseTrendByEpochs, double fallback, String fallbackPowers, String rmseByFallback,
            int calibrationDeals, QuantileRecalibration recalibration) {
        /** This result with the calibration, coverage and recalibration estimated over {@code deals} deals. */
        Result withCalibration(double c, double cov, int deals, QuantileRecalibration r) {
            return new Result(epochs, ordinary, placeScale, candidates, c, rmseHybrid, rmseTrend, cov, rmseByKind,
                    rmseTrendByEpochs, fallback, fallbackPowers, rmseByFallback, deals, r);
        }
    }

    /**
     * The provenance name of a kind of candidate: "hybrid" (simple kriging, and the layout's place
     * scale), with ".ordinary" for ordinary kriging and ".unscaled" without the place scale.
     */
    static String kindName(boolean ordinary, boolean unscaled) {
        return "hybrid" + (ordinary ? ".ordinary" : "") + (unscaled ? ".unscaled" : "");
    }

    /**
     * The recalibration of quantile levels from the held-out rows' PIT values under
     * Normal(m, spread + c·v) ({@link QuantileRecalibration}); {@code rows} held-out rows gave them.
     */
    static QuantileRecalibration recalibration(double[] y, double[] m, double[] v, double[] spread, double c,
            int rows) {
        double[] pit = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double sd = Math.sqrt(spread[i] + c * v[i]);
            pit[i] = sd > 0 ? NeuralFieldMath.normalCdf((y[i] - m[i]) / sd) : Double.NaN;
        }
        return QuantileRecalibration.fit(pit, rows);
    }

    /**
     * Every candidate's held-out predictions of every training row (index: position among the
     * observed rows). Candidate {@link #index}(g, ordinary, unscaled) is trend g with simple or
     * ordinary kriging, of the residuals as the layout has them or, where the place scale is
     * offered as a choice ({@code scales} 2), without it.
     *
     * @param epochsOf the trend of each candidate trend: epochs, 0 for the training mean
     * @param types 2 where ordinary kriging is offered, else 1
     * @param scales 2 where kriging without the layout's place scale is offered, else 1
     * @param byPlace whether the layout's residuals are place-scaled (the candidates' first scale)
     */
    private record HeldOut(int[] epochsOf, int types, int scales, boolean byPlace, double[][] mean, double[][] var,
            double[][] spread, double[][] trend, double[][] rho) {
        int trends() {
            return epochsOf.length;
        }

        int candidates() {
            return mean.length;
        }

        int index(int g, boolean ordinary, boolean unscaled) {
            return candidate(g, ordinary ? 1 : 0, unscaled ? 1 : 0, types, epochsOf.length);
        }

        /** Whether candidate c kriges place-scaled residuals. */
        boolean placeScale(int c) {
            return byPlace && c / (epochsOf.length * types) == 0;
        }

        boolean ordinary(int c) {
            return c / epochsOf.length % types == 1;
        }

        boolean unscaled(int c) {
            return c / (epochsOf.length * types) == 1;
        }
    }

    /** The index of trend g with kriging type {@code type} (1: ordinary) and scale {@code s} (1: plain). */
    private static int candidate(int g, int type, int s, int types, int ne) {
        return (s * types + type) * ne + g;
    }

    /** Records candidate g of a fold from its trend at the training and held-out rows. */
    @FunctionalInterface
    private interface Candidate {
        void record(int g, double[] trainTrend, double[] heldOutTrend, double[] heldOutSpread);
    }

    /**
     * Cross-validates the candidates over {@code folds} folds of the units {@code at.group()}
     * and chooses among them.
     *
     * @param before epochs of the fit's stages before this cross-validation (for progress)
     * @param total epochs of all the fit's stages
     * @throws DataException when a fold cannot be fitted
     */
    Result run(TrainingSet data, TrainConfig config, HybridTrainer.Options options, HybridLayout at, int folds,
            TrainingListener l, long before, long total) {
        HeldOut h = heldOut(data, config, options, at, folds, l, before, total);
        double[] y = Arrays.stream(at.rows()).mapToDouble(i -> at.yAll()[i]).toArray();
        Result r = choose(data.spec(), options, h, y, at.group(), at.ngroups());
        if (r.epochs() != 0) {
            return r;
        }
        int c = h.index(0, r.ordinary(), r.placeScale() != at.byPlace());
        return calibrateOverDeals(r, options, at.withByPlace(r.placeScale()), folds, config.seed(), y, h.mean()[c],
                h.var()[c]);
    }

    /**
     * Kriging alone chosen: its calibration and coverage over {@link #CALIBRATION_DEALS} more deals
     * of the units into folds besides the first, so that c does not hang on one deal. The first
     * deal's held-out predictions ({@code m0}, {@code v0}) are the candidate's own; the others need
     * no training and, as gstat's {@code krige.cv}, no variogram of their own: the residuals' one
     * variogram (fitted once to all rows about their mean) kriges each fold's held-out rows.
     */
    private static Result calibrateOverDeals(Result r, HybridTrainer.Options options, HybridLayout at, int folds,
            long seed, double[] y, double[] m0, double[] v0) {
        int n = y.length;
        int deals = (int) Math.min(CALIBRATION_DEALS, CALIBRATION_ROWS / Math.max(1, n));
        if (deals < 1) {
            return r;
        }
        double level = Arrays.stream(y).average().orElse(0);
        ResidualKriging once = ResidualKriging.fit(KrigingAlone.sites(at, java.util.stream.IntStream.range(0, n).toArray(), level),
                at.metric(), at.unit(), at.maxLag(), options.neighbours(), options.marginals(), at.byPlace(), seed)
                .withOrdinary(r.ordinary());
        int all = (deals + 1) * n;
        double[] ys = new double[all];
        double[] ms = new double[all];
        double[] vs = new double[all];
        for (int d = 0; d <= deals; d++) {
            double[][] mv = d == 0 ? new double[][] {m0, v0}
                    : KrigingAlone.predict(at, options, KrigingAlone.deal(at.ngroups(), folds, seed, d), folds, seed,
                            r.ordinary(), once);
            System.arraycopy(y, 0, ys, d * n, n);
            System.arraycopy(mv[0], 0, ms, d * n, n);
            System.arraycopy(mv[1], 0, vs, d * n, n);
        }
        double[] none = new double[all];
        double c = calibrate(ys, ms, vs, none);
        int covered = 0;
        for (int i = 0; i < all; i++) {
            covered += Math.abs(ys[i] - ms[i]) <= 1.959964 * Math.sqrt(c * vs[i]) ? 1 : 0;
        }
        return r.withCalibration(c, (double) covered / all, deals + 1, recalibration(ys, ms, vs, none, c, n));
    }

    /**
     * Step 1: the units are dealt into folds (seeded); each fold's model is trained on the other
     * folds with snapshots at the checkpoints, and each candidate's residuals are kriged to the
     * held-out rows.
     */
    private HeldOut heldOut(TrainingSet data, TrainConfig config, HybridTrainer.Options options,
            HybridLayout at, int folds, TrainingListener l, long before, long total) {
        int[] rows = at.rows();
        int[] loc = at.group();
        int nloc = at.ngroups();
        double[] gx = at.gx();
        double[] gy = at.gy();
        double[] traw = at.traw();
        double[] yAll = at.yAll();
        int n = rows.length;
        int[] foldOf = KrigingAlone.deal(nloc, folds, config.seed(), 0);
        int[] grid = checkpoints(config.epochs(), options.selectEpochs());
        // candidate 0 when choosing epochs: no trained trend, the fold's training mean (kriging
        // alone); candidates off.. are the checkpoints
        int off = options.selectEpochs() ? 1 : 0;
        int[] epochsOf = new int[grid.length + off];
        System.arraycopy(grid, 0, epochsOf, off, grid.length);
        int ne = epochsOf.length;
        // kriging types: simple, and where the units are whole places (purely spatial data, or the
        // cross-validation of the hybrid at new places) also ordinary: at a place the training
        // never observed its level is unknown, and ordinary kriging estimates it from the
        // neighbourhood (candidate ne + g is candidate g's trend with ordinary kriging). At an
        // observed place its own series pins the level, and simple kriging is kept.
        boolean offerOrdinary = at.blocks() == 1;
        int types = offerOrdinary ? 2 : 1;
        // Likewise the place scale: at a place the training observed, its own residuals give its
        // scale; at a place it never observed the scale is itself interpolated, and kriging the
        // residuals as they are (one variance for all places) is a candidate too.
        int scales = offerOrdinary && at.byPlace() ? 2 : 1;
        int nc = types * scales * ne;
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
                double[] kv = new double[4];
                for (int s = 0; s < scales; s++) {
                    ResidualKriging fitted = ResidualKriging.fit(new Sites(sx, sy, st, r), at.metric(), at.unit(),
                            at.maxLag(), options.neighbours(), options.marginals(), s == 0 && at.byPlace(),
                            config.seed());
                    for (int type = 0; type < types; type++) {
                        ResidualKriging.Kriger kr = fitted.withOrdinary(type == 1).kriger();
                        int c = candidate(g, type, s, types, ne);
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
            new BayesNFTrainer(backend).fit(trT, fc, new HybridTrainer.Stage(l, before + (long) k * config.epochs(),
                    total), cp);
        }
        return new HeldOut(epochsOf, types, scales, at.byPlace(), cvMean, cvVar, cvSpread, cvTrend, cvRho);
    }

    /**
     * Steps 2 to 4: the candidate by the rule, the calibration of its kriging variance and, for
     * data with time, the power of the fallback.
     *
     * @param y the observed target of every training row
     * @param loc the cross-validation unit of every training row
     * @param nloc the number of units
     */
    private static Result choose(ModelSpec spec, HybridTrainer.Options options, HeldOut h, double[] y, int[] loc,
            int nloc) {
        int n = y.length;
        int ne = h.trends();
        int nc = h.candidates();
        int[] epochsOf = h.epochsOf();
        double[][] cvMean = h.mean();
        double[][] cvTrend = h.trend();
        // the lowest squared error over (epochs, kriging type, place scale); ties go to the earlier
        // candidate: fewer epochs, simple kriging, the layout's place scale
        int bestC = 0;
        double bestSse = Double.POSITIVE_INFINITY;
        java.util.Map<String, String> byKind = new java.util.LinkedHashMap<>();
        StringBuilder byTrend = new StringBuilder();
        for (int c = 0; c < nc; c++) {
            double sse = 0;
            for (int i = 0; i < n; i++) {
                double e = y[i] - cvMean[c][i];
                sse += e * e;
            }
            byKind.merge(kindName(h.ordinary(c), h.unscaled(c)), fmt(Math.sqrt(sse / n)), (a, b) -> a + "," + b);
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
        double[][] unitSse = new double[nc][nloc];
        for (int c = 0; c < nc; c++) {
            for (int i = 0; i < n; i++) {
                double e = y[i] - cvMean[c][i];
                unitSse[c][loc[i]] += e * e;
            }
        }
        bestC = byRule(options.rule(), unitSse, bestC, h);
        int best = bestC % ne;
        boolean ordinary = h.ordinary(bestC);
        double[] m = cvMean[bestC];
        double[] v = h.var()[bestC];
        double[] sp = h.spread()[best];
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
        StringBuilder powers = new StringBuilder();
        StringBuilder byPower = new StringBuilder();
        int last = epochsOf.length - 1;
        // only data with time: the fallback is for times outside the training period, which a
        // purely spatial model does not have (its held-out places are what the trend was chosen for)
        double fallback = best != last && spec.time() != null
                ? fallbackPower(y, m, h.rho()[bestC], cvTrend[last], powers, byPower) : Double.NaN;
        double sseChosen = 0;
        for (double u : unitSse[bestC]) {
            sseChosen += u;
        }
        return new Result(epochsOf[best], ordinary, h.placeScale(bestC), cand.toString(), c,
                Math.sqrt(sseChosen / n), Math.sqrt(sseTrend / n), (double) covered / n, byKind, byTrend.toString(),
                fallback, powers.toString(), byPower.toString(), 1, recalibration(y, m, v, sp, c, n));
    }

    /**
     * The candidate the rule takes, given the lowest-error candidate {@code bestC} and each
     * candidate's squared error per unit.
     *
     * <p>One-standard-error rule (Breiman et al. 1984), paired: the simplest candidate (fewest
     * epochs) whose excess squared error over the lowest, summed per cross-validation unit, is
     * within one standard error of its mean over the units. Candidates this close cannot be told
     * apart on the data at hand (on 116 meuse points CV errors 0.3% apart gave held-out errors 11%
     * apart), and the simpler one is the less variable choice.
     */
    private static int byRule(HybridTrainer.CvRule rule, double[][] unitSse, int bestC, HeldOut h) {
        if (rule == HybridTrainer.CvRule.ONE_STANDARD_ERROR) {
            for (int g = 0; g < h.trends(); g++) {
                // ordinary kriging first: it assumes less (no known mean of the residuals, only a
                // locally constant one), and is the kriging analysts compare against; then, where
                // offered, no place scale: one variance for all places, where the scaled form
                // estimates one per place and interpolates it to the place never observed
                for (int type = h.types() - 1; type >= 0; type--) {
                    for (int s = h.scales() - 1; s >= 0; s--) {
                        int c = h.index(g, type == 1, s == 1);
                        if (c == bestC || HybridTrainer.withinOneStandardError(unitSse[c], unitSse[bestC])) {
                            return c;
                        }
                    }
                }
            }
        }
        return bestC;
    }

    /**
     * The fallback outside the training period: a trend other than the network of the configured
     * epochs (the last candidate, whose held-out trend is {@code full}) gives way to that network
     * where the kriging explains little, with weight 1 - rho^p. The held-out rows lie inside the
     * period; the blend is scored on them as if they did not, for the rate at which the kriging's
     * information should buy the chosen trend over the full network: p by the same cross-validated
     * squared error (ties: the larger p, the less change). Appends the powers tried and their
     * errors to {@code powers} and {@code byPower}.
     */
    private static double fallbackPower(double[] y, double[] m, double[] rho, double[] full, StringBuilder powers,
            StringBuilder byPower) {
        int n = y.length;
        double fallback = Double.NaN;
        double bestBlend = Double.POSITIVE_INFINITY;
        for (int j = FALLBACK_POWERS.length - 1; j >= 0; j--) {
            double p = FALLBACK_POWERS[j];
            double sse = 0;
            for (int i = 0; i < n; i++) {
                double w = 1 - Math.pow(Math.min(1, rho[i]), p);
                double e = y[i] - (w * m[i] + (1 - w) * full[i]);
                sse += e * e;
            }
            powers.insert(0, (j == 0 ? "" : ",") + fmt(p));
            byPower.insert(0, (j == 0 ? "" : ",") + fmt(Math.sqrt(sse / n)));
            if (sse < bestBlend) {
                bestBlend = sse;
                fallback = p;
            }
        }
        return fallback;
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

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
