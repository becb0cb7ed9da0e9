package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import java.util.Locale;

/**
 * How long a fit will take, estimated before it starts (docs/MODEL.md, "Defaults scaled to the
 * data"; its measured accuracy in docs/BENCHMARKS.md).
 *
 * <p>The cost model: the fit's schedule ({@link HybridTrainer}) as training steps, each fold of
 * residual kriging's cross-validation (about (K−1)/K of the rows, at most
 * {@link HybridTrainer.Options#foldEnsemble} members) and the final training (all rows, the whole
 * ensemble); each step's floating-point operations counted as {@link #stepFlops}; their sum
 * divided by the throughput that a timed warm-up of a few steps on the actual backend measured
 * ({@link BayesNFTrainer#warmUp}). Added to that: the cross-validation's checkpoint predictions
 * and the final trend's, forward passes on the plain-Java backend ({@link #forwardFlops}; at the
 * warm-up's throughput on the Java backend, else at {@value #JAVA_FORWARD_FLOPS_PER_THREAD}
 * FLOP/s per thread), and residual kriging's work, from constants measured on this project's
 * machine: for each fold and candidate a fit ({@value #KRIGING_FIT_SECONDS_SPACE_TIME} s with
 * time, {@value #KRIGING_FIT_SECONDS_SPATIAL} s without) and the kriging of the fold's held-out
 * rows ({@value #KRIGING_SECONDS_PER_ROW} s a row), then the final model's fit; and where the target's
 * scale is chosen by the data ({@link TargetScaleChoice}), its pre-pass: for each candidate scale
 * one such fit to all rows and the kriging of every row.
 *
 * @param seconds the whole fit
 * @param trainingSeconds the training steps alone
 * @param krigingSeconds residual kriging's fits and kriging (the scale's pre-pass, cross-validation and
 *     final model)
 * @param steps the training steps of every stage together
 * @param folds the cross-validation's folds (0: none)
 * @param designs how many cross-validations with that many fold trainings each: 2 for data with
 *     time whose hybrid at new places is cross-validated by whole places too, else 1 (0 without)
 * @param scales the candidate scales of the target that the pre-pass compares (0: the scale is given;
 *     1: the target allows standard alone, and the pre-pass has nothing to compare)
 * @param flopsPerSecond the training throughput the warm-up measured
 * @param warmUpSeconds what the warm-up itself took
 * @param device the kind of device
 * @param threads the CPU threads (0: all processors)
 */
public record FitEstimate(double seconds, double trainingSeconds, double krigingSeconds, long steps, int folds,
        int designs, int scales, double flopsPerSecond, double warmUpSeconds, FitDefaults.Device device, int threads) {
    /** The warm-up may take this share of the training it estimates ({@link BayesNFTrainer#warmUp}). */
    public static final double WARM_UP_SHARE = 0.01;
    /** The shortest warm-up. */
    public static final double MIN_WARM_UP_SECONDS = 0.2;
    /** The longest warm-up (unless one step takes longer). */
    public static final double MAX_WARM_UP_SECONDS = 10;
    /**
     * Forward-pass throughput of the plain-Java backend per thread, for the checkpoint predictions
     * of a fit on another backend: a conservative quarter of the 33 GFLOP/s per core that
     * {@code Gemm} measured at 256-wide rows (not measured for the predictions themselves).
     */
    public static final double JAVA_FORWARD_FLOPS_PER_THREAD = 8e9;
    /**
     * Seconds of one fit of residual kriging for data with time (place scales, empirical
     * space-time variogram within its pair budget, variogram fit): 0.6 to 2.5 s on this project's
     * 2-core machine under load, for 300 to 62,000 wind rows.
     */
    public static final double KRIGING_FIT_SECONDS_SPACE_TIME = 1.0;
    /** Seconds of one fit of residual kriging for purely spatial data: 0.03 to 0.14 s on meuse (124 rows), as above. */
    public static final double KRIGING_FIT_SECONDS_SPATIAL = 0.05;
    /** Seconds of kriging one row (neighbour search, 32 neighbours): 0.01 to 0.3 ms, as above. */
    public static final double KRIGING_SECONDS_PER_ROW = 2e-4;

    /**
     * Estimates the fit of {@code table} that {@link HybridTrainer#fit} would run with these
     * arguments, after a timed warm-up on {@code backend}.
     *
     * @param threads CPU threads (0: all processors)
     * @throws DataException or IllegalArgumentException as the fit would, for unusable data or settings
     */
    public static FitEstimate of(ComputeBackend backend, int threads, DataTable table, ModelSpec spec,
            TrainConfig config, Georeference geo, HybridTrainer.Options options) {
        long started = System.nanoTime();
        TrainingSet data = TrainingSet.of(spec, table);
        int n = data.rows().length;
        int batch = config.batch() == 0 ? n : config.batch();
        int ensemble = config.ensemble();
        // the schedule: the cross-validation's fold trainings, then the final training
        int folds = 0;
        int foldRows = 0;
        int foldMembers = 0;
        int foldBatch = 0;
        int checkpoints = 0;
        int designs = 0;
        HybridLayout at = options.residualKriging() && geo != null ? HybridLayout.of(data, geo, options) : null;
        if (at != null) {
            int k = Math.min(options.folds(), at.ngroups());
            if (at.ngroups() >= 3 && k >= 2) {
                folds = k;
                foldRows = (int) Math.max(1, Math.round((double) n * (k - 1) / k));
                foldMembers = Math.min(ensemble, options.foldEnsemble());
                foldBatch = config.batch() == 0 || config.batch() > foldRows ? foldRows : config.batch();
                checkpoints = HybridCrossValidation.checkpoints(config.epochs(), options.selectEpochs()).length;
                designs = HybridTrainer.placesLayout(data, geo, options, at) != null ? 2 : 1;
            }
        }
        long foldSteps = folds == 0 ? 0 : (long) config.epochs() * FitDefaults.stepsPerEpoch(foldRows, foldBatch);
        long finalSteps = (long) config.epochs() * FitDefaults.stepsPerEpoch(n, batch);
        // the whole training in steps of the final training (the one the warm-up times)
        double equivalent = finalSteps
                + (double) designs * folds * foldSteps * foldMembers * foldBatch / ((double) ensemble * batch);
        BayesNFTrainer.WarmUp w = new BayesNFTrainer(backend).warmUp(data, config,
                best -> Math.max(MIN_WARM_UP_SECONDS, Math.min(MAX_WARM_UP_SECONDS, WARM_UP_SHARE * best * equivalent)));
        double throughput = stepFlops(w.layout(), config, batch, ensemble) / w.secondsPerStep();
        double training = equivalent * w.secondsPerStep();
        int cpus = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        double forward = backend.id().equals("java") ? throughput : JAVA_FORWARD_FLOPS_PER_THREAD * cpus;
        int components = config.estimator() == Estimator.VI ? config.posteriorSamples() : 1;
        double predictions = 0;
        double kriging = 0;
        if (at != null) {
            // each checkpoint predicts the fold's training and held-out rows, i.e. every row;
            // then the final trend at every row
            predictions = (double) designs * folds * checkpoints * forwardFlops(w.layout(), n, foldMembers * components)
                    + forwardFlops(w.layout(), n, ensemble * components);
            boolean time = spec.time() != null;
            double fit = time ? KRIGING_FIT_SECONDS_SPACE_TIME : KRIGING_FIT_SECONDS_SPATIAL;
            // ordinary kriging is a second type where the units are whole places
            double types = at.blocks() == 1 ? 2 : designs == 2 ? 1.5 : 1;
            int perFold = checkpoints + (options.selectEpochs() ? 1 : 0);
            // each candidate of each fold: a fit to the fold's training rows, its held-out rows
            // kriged once per kriging type (n rows over all folds); then the final model's fit
            kriging = designs * perFold * (folds * fit + types * (folds > 0 ? n : 0) * KRIGING_SECONDS_PER_ROW)
                    + (designs == 2 ? 2 : 1) * fit;
        }
        int scales = 0;
        if (at != null && options.chooseScaling()) {
            // the pre-pass: per candidate scale, one fit to all rows and every row kriged once
            scales = TargetScaleChoice.candidates(table, spec).size();
            if (scales > 1) {
                kriging += scales * ((spec.time() != null ? KRIGING_FIT_SECONDS_SPACE_TIME : KRIGING_FIT_SECONDS_SPATIAL)
                        + n * KRIGING_SECONDS_PER_ROW);
            }
        }
        double seconds = training + predictions / forward + kriging;
        return new FitEstimate(seconds, training, kriging, designs * folds * foldSteps + finalSteps, folds, designs,
                scales, throughput, (System.nanoTime() - started) / 1e9, FitDefaults.Device.of(backend), threads);
    }

    /**
     * Floating-point operations of one training step of {@code members} members on
     * {@code batchRows} rows, multiply-adds counted as 2: per row and network evaluation the
     * forward pass has F_in·W + (L−1)·W² + W multiply-adds and the backward pass twice that
     * (weight and input gradients), so 6·rows·(F_in·W + (L−1)·W² + W) per member, times the Monte
     * Carlo samples for VI. Feature construction, the loss and the Adam update are not counted.
     */
    public static double stepFlops(FeatureLayout layout, TrainConfig c, int batchRows, int members) {
        int samples = c.estimator() == Estimator.VI ? c.mcSamples() : 1;
        return 6 * macs(layout) * batchRows * members * samples;
    }

    /** Floating-point operations of the forward pass of {@code components} networks over {@code rows} rows. */
    public static double forwardFlops(FeatureLayout layout, int rows, int components) {
        return 2 * macs(layout) * rows * components;
    }

    private static double macs(FeatureLayout layout) {
        return (double) layout.inputWidth() * layout.width()
                + (double) (layout.depth() - 1) * layout.width() * layout.width() + layout.width();
    }

    /**
     * The line a front end shows before training, e.g. "155 rows, width 64, depth 2, 16 particles,
     * batch full, 2000 epochs (defaults scaled to the data), 5-fold cross-validation first;
     * estimated 40 s on java (2 threads)".
     */
    public String summary(int rows, FitDefaults.Choice choice) {
        return rows + " rows, " + choice.describe() + " (" + choice.source() + ")"
                + (scales > 1 ? ", the target's scale chosen among " + scales + " first" : "")
                + (folds > 0 ? ", " + folds + "-fold cross-validation first" + (designs == 2 ? " (twice: by place and"
                        + " time block, and by whole places)" : "") : "") + "; " + describe();
    }

    /** E.g. "estimated 40 s on java (2 threads)". */
    public String describe() {
        int cpus = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        String where = device == FitDefaults.Device.ACCELERATOR ? device.toString()
                : device + " (" + cpus + (cpus == 1 ? " thread)" : " threads)");
        return "estimated " + duration(seconds) + " on " + where;
    }

    /** A duration for people: "40 s", "12 min", "2.2 h". */
    public static String duration(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "unknown time";
        }
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 90 * 60) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
