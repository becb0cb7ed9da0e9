package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.CounterNormal;
import dev.bayesnf.core.compute.Objective;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.compute.TrainingEngine;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Fits BayesNF ensembles (spec §6): MAP and MLE particles with Adam on per-particle shuffled
 * minibatches, or VI surrogates with reparameterised Monte Carlo gradients, all members trained
 * together on one {@link ComputeBackend}.
 *
 * <p>Randomness: one {@link SplittableRandom} from the seed; each member gets its own split for
 * initialisation and batch order, VI steps draw their shared batch and noise key from a separate
 * split. Same seed, backend and thread count give bit-identical parameters.
 *
 * <p>Thread-safe: every {@link #fit} call has its own state.
 */
public final class BayesNFTrainer {
    /**
     * Provenance key of the last training time ({@link ModelProvenance#trainingTimeLast}), as a
     * raw time (period index for calendar time, else the number), written for models with a time
     * column. Models saved before it existed lack it.
     */
    public static final String TRAINING_TIME_LAST = ModelProvenance.TRAINING_TIME_LAST;

    private final ComputeBackend backend;

    public BayesNFTrainer(ComputeBackend backend) {
        this.backend = backend;
    }

    /**
     * Fits a model to the rows of {@code table} whose target is present.
     *
     * @throws DataException for unusable data (too few rows, non-finite features, negative counts)
     * @throws CancellationException when the listener cancels
     */
    public BayesNFModel fit(DataTable table, ModelSpec spec, TrainConfig config, TrainingListener listener) {
        return fit(TrainingSet.of(spec, table), config, listener, null);
    }

    /**
     * Snapshots of a fit in progress: after each listed epoch (MAP/MLE epochs, VI epochs of
     * floor(N/batch) steps), {@code at} receives the model as it stands (for VI with posterior
     * samples drawn from the surrogates of that moment). Taking them does not change the training.
     *
     * @param epochs ascending epochs, each between 1 and the configured epochs
     */
    public record Checkpoints(int[] epochs, java.util.function.BiConsumer<Integer, BayesNFModel> at) {
        boolean contains(int epoch) {
            return java.util.Arrays.binarySearch(epochs, epoch) >= 0;
        }
    }

    /**
     * Checks that {@code table} can be fitted with {@code spec} and {@code config} (target
     * present in at least 2 rows, features and time usable, counts non-negative, batch not
     * larger than the data) without training.
     *
     * @throws DataException or IllegalArgumentException as {@link #fit} would
     */
    public static void check(DataTable table, ModelSpec spec, TrainConfig config) {
        check(TrainingSet.of(spec, table), config);
    }

    /** Checks {@code data} as {@link #check(DataTable, ModelSpec, TrainConfig)}; what it parses, it keeps. */
    public static void check(TrainingSet data, TrainConfig config) {
        prepare(data, config);
    }

    /** The training data as the network takes it: inputs, seasonal features, scaled target of the observed rows. */
    private record Prepared(int[] rows, TrainingStatistics stats, FeatureLayout layout, float[][] x, float[][] seasonal,
            float[] y, int batch) {}

    private static Prepared prepare(TrainingSet data, TrainConfig config) {
        ModelSpec spec = data.spec();
        DataTable table = data.table();
        int[] rows = data.rows();
        if (rows.length < 2) {
            throw new DataException(table.source() + ": only " + rows.length
                    + " rows have a value in target column '" + spec.target() + "'; at least 2 are needed");
        }
        TrainingStatistics stats = TrainingStatistics.fit(data, rows);
        FeatureLayout layout = spec.layout(stats);
        float[][] x = stats.inputs(data, rows);
        float[][] seasonal = stats.seasonal(data, layout, rows);
        double[] yAll = data.targetValues();
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = (float) stats.scaleTarget(yAll[rows[i]]);
            if (spec.likelihood().isCount() && y[i] < 0) {
                throw new DataException(table.where(rows[i]) + ", column '" + spec.target() + "': "
                        + yAll[rows[i]] + " is negative, but the " + spec.likelihood()
                        + " likelihood models counts");
            }
        }
        int n = rows.length;
        int batch = config.batch() == 0 ? n : config.batch();
        if (batch > n) {
            throw new IllegalArgumentException("batch size " + batch + " is larger than the "
                    + n + " training rows");
        }
        return new Prepared(rows, stats, layout, x, seasonal, y, batch);
    }

    /**
     * Fits as {@link #fit(DataTable, ModelSpec, TrainConfig, TrainingListener)} and hands
     * snapshots to {@code checkpoints} (null for none) on the way.
     */
    public BayesNFModel fit(DataTable table, ModelSpec spec, TrainConfig config, TrainingListener listener,
            Checkpoints checkpoints) {
        return fit(TrainingSet.of(spec, table), config, listener, checkpoints);
    }

    /**
     * Fits a model to the rows of {@code data} whose target is present, handing snapshots to
     * {@code checkpoints} (null for none) on the way. The schedule: prepare the data, draw each
     * member's random stream and initial state, train all members together (VI steps or MAP/MLE
     * epochs), then take the components (VI: posterior samples) and record the provenance.
     *
     * @throws DataException for unusable data (too few rows, non-finite features, negative counts)
     * @throws CancellationException when the listener cancels
     */
    public BayesNFModel fit(TrainingSet data, TrainConfig config, TrainingListener listener, Checkpoints checkpoints) {
        long started = System.nanoTime();
        Prepared pr = prepare(data, config);
        boolean vi = config.estimator() == Estimator.VI;
        Objective objective = new Objective(data.spec().likelihood(), vi,
                config.estimator() == Estimator.MLE ? 0 : 1, config.klWeight(), config.mcSamples(),
                config.learningRate(), pr.rows().length);
        int k = config.ensemble();
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom[] memberRng = new SplittableRandom[k];
        for (int m = 0; m < k; m++) {
            memberRng[m] = root.split();
        }
        SplittableRandom stepRng = root.split();
        double yStd = populationStd(pr.y());
        float[][] state = new float[k][];
        for (int m = 0; m < k; m++) {
            state[m] = initialState(pr.layout(), vi, yStd, memberRng[m]);
        }
        Schedule schedule = new Schedule(data.spec(), config, pr, vi,
                listener == null ? TrainingListener.NONE : listener, checkpoints);
        float[][] finalState;
        try (TrainingEngine engine = backend.openTraining(pr.layout(), objective,
                new TrainingData(pr.x(), pr.seasonal(), pr.y()), k, config.threads())) {
            engine.setState(state);
            if (vi) {
                schedule.viSteps(engine, stepRng);
            } else {
                schedule.particleEpochs(engine, memberRng);
            }
            finalState = engine.state();
        }
        float[][] components = vi ? posteriorSamples(finalState, config.posteriorSamples(),
                pr.layout().parameterCount(), stepRng.nextLong()) : finalState;
        return new BayesNFModel(data.spec(), config, pr.stats(), components, schedule.losses,
                provenance(data, config, pr, schedule.losses, started), null, null);
    }

    /**
     * A timed warm-up of {@code config} on this backend: the seconds of one training step with the
     * data's own layout, members and batch, measured without training a model (docs/MODEL.md,
     * "Defaults scaled to the data"). An engine is opened as {@link #fit} opens it; on the
     * plain-Java backend, steps on a few rows warm the JIT compiler first (for at most
     * {@value #JIT_SECONDS} s); one untimed step takes the engine's first use (kernel builds).
     * Then steps are timed in blocks of at least {@value #BLOCK_SECONDS} s (or one step) until the
     * warm-up has taken {@code budget} of the fastest block's seconds per step; the fastest block
     * counts. The JIT compiler's work takes seconds on a busy machine (on this project's 2-core
     * machine under load, the first steps of a small fit ran 4 to 10 times slower than the steady
     * state): a budget that grows with the fit's length lets a long fit's warm-up wait for it.
     *
     * @param budget seconds the warm-up may take, given the fastest seconds per step so far
     * @throws DataException or IllegalArgumentException as {@link #fit} would
     */
    public WarmUp warmUp(TrainingSet data, TrainConfig config, java.util.function.DoubleUnaryOperator budget) {
        Prepared pr = prepare(data, config);
        boolean vi = config.estimator() == Estimator.VI;
        int n = pr.rows().length;
        Objective objective = new Objective(data.spec().likelihood(), vi,
                config.estimator() == Estimator.MLE ? 0 : 1, config.klWeight(), config.mcSamples(),
                config.learningRate(), n);
        int k = config.ensemble();
        SplittableRandom rng = new SplittableRandom(config.seed());
        double yStd = populationStd(pr.y());
        float[][] state = new float[k][];
        for (int m = 0; m < k; m++) {
            state[m] = initialState(pr.layout(), vi, yStd, rng.split());
        }
        int[] perm = TrainingStatistics.allRows(n);
        partialShuffle(perm, pr.batch(), rng);
        int[] shared = java.util.Arrays.copyOf(perm, pr.batch());
        int[][] rows = new int[vi ? 1 : k][];
        java.util.Arrays.fill(rows, shared);
        float[] loss = new float[k];
        try (TrainingEngine engine = backend.openTraining(pr.layout(), objective,
                new TrainingData(pr.x(), pr.seasonal(), pr.y()), k, config.threads())) {
            engine.setState(state);
            long begin = System.nanoTime();
            if (backend.id().equals("java")) {
                // steps on a few rows first: the JIT compiler counts calls and loop turns, which
                // these reach in a fraction of the time the full batch would take
                int[][] few = new int[rows.length][];
                java.util.Arrays.fill(few, java.util.Arrays.copyOf(shared, Math.min(shared.length, 8)));
                int s = 0;
                while (s++ < JIT_STEPS && (System.nanoTime() - begin) / 1e9 < JIT_SECONDS) {
                    engine.step(few, rng.nextLong(), loss);
                }
            }
            engine.step(rows, rng.nextLong(), loss);
            double best = Double.POSITIVE_INFINITY;
            while (true) {
                int steps = 0;
                long t0 = System.nanoTime();
                double block;
                do {
                    engine.step(rows, rng.nextLong(), loss);
                    steps++;
                    block = (System.nanoTime() - t0) / 1e9;
                } while (block < BLOCK_SECONDS);
                best = Math.min(best, block / steps);
                if ((System.nanoTime() - begin) / 1e9 >= budget.applyAsDouble(best)) {
                    return new WarmUp(pr.layout(), n, pr.batch(), best);
                }
            }
        }
    }

    /** At most this many steps on a few rows warm the JIT compiler on the Java backend ({@link #warmUp}). */
    static final int JIT_STEPS = 3000;
    /** At most this long, steps on a few rows warm the JIT compiler on the Java backend ({@link #warmUp}). */
    static final double JIT_SECONDS = 0.25;
    /** The shortest block of timed warm-up steps ({@link #warmUp}). */
    static final double BLOCK_SECONDS = 0.1;

    /**
     * What a warm-up measured.
     *
     * @param layout the network's layout on these data
     * @param rows the training rows
     * @param batch the rows of one step
     * @param secondsPerStep the mean seconds of a timed step
     */
    public record WarmUp(FeatureLayout layout, int rows, int batch, double secondsPerStep) {}

    /** What the model records of its training ({@link ModelProvenance}). */
    private ModelProvenance provenance(TrainingSet data, TrainConfig config, Prepared pr, float[][] losses,
            long started) {
        ModelSpec spec = data.spec();
        ModelProvenance.Builder prov = ModelProvenance.none().toBuilder()
                .seed(config.seed())
                .backend(backend.id(), backend.device())
                .threads(config.threads())
                .runtime(Versions.PROJECT, System.getProperty("java.version"),
                        System.getProperty("os.name") + " " + System.getProperty("os.arch"))
                .trainedAt(Instant.now())
                .trainingSeconds((System.nanoTime() - started) / 1e9)
                .training(pr.rows().length, data.table().source())
                .finalLoss(meanLast(losses))
                .targetScaling(spec.targetScaling());
        if (spec.time() != null) {
            // The last training time (period index or number): the statistics' time scale cannot tell
            // one training time (scale set to 1) from two one step apart, and raster products
            // validate forecast and interpolation times against this value.
            double last = Double.NEGATIVE_INFINITY;
            for (double o : pr.stats().timeOffsets(data, pr.rows())) {
                last = Math.max(last, o);
            }
            prov.trainingTimeLast(pr.stats().timeMin() + last);
        }
        return prov.build();
    }

    /** The training loop of one fit: its batches, loss trace, progress and snapshots. Not thread-safe. */
    private static final class Schedule {
        private final ModelSpec spec;
        private final TrainConfig config;
        private final TrainingStatistics stats;
        private final boolean vi;
        private final TrainingListener l;
        private final Checkpoints checkpoints;
        private final int n;
        private final int k;
        private final int p;
        private final int batch;
        private final int batchesPerEpoch;
        /** Per member: the loss of each epoch (MAP/MLE) or step (VI, times the KL weight). */
        private final float[][] losses;

        Schedule(ModelSpec spec, TrainConfig config, Prepared pr, boolean vi, TrainingListener l,
                Checkpoints checkpoints) {
            this.spec = spec;
            this.config = config;
            this.stats = pr.stats();
            this.vi = vi;
            this.l = l;
            this.checkpoints = checkpoints;
            this.n = pr.rows().length;
            this.k = config.ensemble();
            this.p = pr.layout().parameterCount();
            this.batch = pr.batch();
            this.batchesPerEpoch = n / batch;
            this.losses = new float[k][vi ? config.epochs() * batchesPerEpoch : config.epochs()];
        }

        /** VI: every step one shared random batch and noise key for all surrogates. */
        void viSteps(TrainingEngine engine, SplittableRandom stepRng) {
            float[] stepLoss = new float[k];
            int[] perm = TrainingStatistics.allRows(n);
            int[][] shared = new int[1][batch];
            int step = 0;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                double epochLoss = 0;
                for (int b = 0; b < batchesPerEpoch; b++) {
                    checkCancelled(l);
                    partialShuffle(perm, batch, stepRng);
                    System.arraycopy(perm, 0, shared[0], 0, batch);
                    engine.step(shared, stepRng.nextLong(), stepLoss);
                    for (int m = 0; m < k; m++) {
                        losses[m][step] = (float) (stepLoss[m] * config.klWeight());
                        epochLoss += losses[m][step];
                    }
                    step++;
                }
                l.epoch(epoch, config.epochs(), epochLoss / (k * batchesPerEpoch));
                snapshot(checkpoints, epoch, engine, spec, config, stats, losses, vi, p);
            }
        }

        /** MAP/MLE: every epoch each particle its own shuffle of the rows, cut into batches. */
        void particleEpochs(TrainingEngine engine, SplittableRandom[] memberRng) {
            float[] stepLoss = new float[k];
            int[][] perms = new int[k][];
            for (int m = 0; m < k; m++) {
                perms[m] = TrainingStatistics.allRows(n);
            }
            int[][] batchRows = new int[k][batch];
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                if (batch < n) {
                    for (int m = 0; m < k; m++) {
                        partialShuffle(perms[m], n, memberRng[m]);
                    }
                }
                double[] sum = new double[k];
                for (int b = 0; b < batchesPerEpoch; b++) {
                    checkCancelled(l);
                    for (int m = 0; m < k; m++) {
                        System.arraycopy(perms[m], b * batch, batchRows[m], 0, batch);
                    }
                    engine.step(batchRows, 0, stepLoss);
                    for (int m = 0; m < k; m++) {
                        sum[m] += stepLoss[m];
                    }
                }
                double mean = 0;
                for (int m = 0; m < k; m++) {
                    losses[m][epoch - 1] = (float) (sum[m] / batchesPerEpoch);
                    mean += losses[m][epoch - 1];
                }
                l.epoch(epoch, config.epochs(), mean / k);
                snapshot(checkpoints, epoch, engine, spec, config, stats, losses, vi, p);
            }
        }
    }

    /** Posterior samples of VI surrogates (spec §6.3): one component per sample and surrogate. */
    private static float[][] posteriorSamples(float[][] state, int samples, int p, long noise) {
        int k = state.length;
        float[][] components = new float[k * samples][p];
        for (int m = 0; m < k; m++) {
            for (int j = 0; j < samples; j++) {
                long key = CounterNormal.key(noise, m, j);
                float[] c = components[j * k + m];
                for (int e = 0; e < p; e++) {
                    double sigma = Objective.SCALE_FLOOR + NeuralFieldMath.softplus(state[m][p + e]);
                    c[e] = (float) (state[m][e] + sigma * CounterNormal.normal(key, e));
                }
            }
        }
        return components;
    }

    private static void snapshot(Checkpoints checkpoints, int epoch, TrainingEngine engine, ModelSpec spec,
            TrainConfig config, TrainingStatistics stats, float[][] losses, boolean vi, int p) {
        if (checkpoints == null || !checkpoints.contains(epoch)) {
            return;
        }
        float[][] state = engine.state();
        // a key of its own, so that taking a snapshot draws nothing from the training's streams
        float[][] comps = vi ? posteriorSamples(state, config.posteriorSamples(), p,
                new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * epoch)).nextLong()) : state;
        int done = vi ? losses[0].length / config.epochs() * epoch : epoch;
        float[][] so = new float[losses.length][];
        for (int m = 0; m < so.length; m++) {
            so[m] = java.util.Arrays.copyOf(losses[m], done);
        }
        checkpoints.at().accept(epoch, new BayesNFModel(spec, config.withEpochs(epoch), stats, comps, so,
                ModelProvenance.checkpoint(epoch), null, null));
    }

    /** Initial state of one member (spec §4.1): kernels TruncatedNormal(0, 1, [-2, 2]), all else 0. */
    static float[] initialState(FeatureLayout layout, boolean vi, double yStd, SplittableRandom rng) {
        int p = layout.parameterCount();
        float[] s = new float[vi ? 2 * p : p];
        for (int e = 0; e < p; e++) {
            if (layout.isKernel(e)) {
                double g;
                do {
                    g = rng.nextGaussian();
                } while (g < -2 || g > 2);
                s[e] = (float) g;
            }
        }
        if (!vi) {
            // MAP/MLE noise init log(std(y)/2); a constant target (std 0) starts at σ = 0.01 + 1.
            s[FeatureLayout.NU] = yStd > 0 ? (float) Math.log(yStd / 2) : 0f;
        } else {
            float rho = (float) NeuralFieldMath.softplusInverse(0.3);
            for (int e = 0; e < p; e++) {
                s[p + e] = rho;
            }
        }
        return s;
    }

    private static double populationStd(float[] y) {
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= y.length;
        double ss = 0;
        for (float v : y) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / y.length);
    }

    /** Fisher-Yates on the first {@code count} positions: a uniformly random ordered subset. */
    static void partialShuffle(int[] a, int count, SplittableRandom rng) {
        for (int i = 0; i < count && i < a.length - 1; i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkCancelled(TrainingListener l) {
        if (l.isCancelled()) {
            throw new CancellationException("fit cancelled");
        }
    }

    private static float meanLast(float[][] losses) {
        double s = 0;
        for (float[] l : losses) {
            s += l[l.length - 1];
        }
        return (float) (s / losses.length);
    }
}
