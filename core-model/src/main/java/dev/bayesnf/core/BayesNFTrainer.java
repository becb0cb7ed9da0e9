package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.CounterNormal;
import dev.bayesnf.core.compute.Objective;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.compute.TrainingEngine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
     * Provenance key of the last training time, as a raw time (period index for calendar time,
     * else the number), written for models with a time column. Models saved before it existed
     * lack it.
     */
    public static final String TRAINING_TIME_LAST = "training.time.last";

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
        return fit(table, spec, config, listener, null);
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
        prepare(table, spec, config);
    }

    private record Prepared(int[] rows, TrainingStatistics stats, FeatureLayout layout, float[][] x, float[][] seasonal,
            float[] y, int batch) {}

    private static Prepared prepare(DataTable table, ModelSpec spec, TrainConfig config) {
        int[] rows = TrainingStatistics.observedRows(spec, table);
        if (rows.length < 2) {
            throw new DataException(table.source() + ": only " + rows.length
                    + " rows have a value in target column '" + spec.target() + "'; at least 2 are needed");
        }
        TrainingStatistics stats = TrainingStatistics.fit(spec, table, rows);
        FeatureLayout layout = spec.layout(stats);
        float[][] x = stats.inputs(spec, table, rows);
        float[][] seasonal = stats.seasonal(spec, layout, table, rows);
        double[] yAll = table.numeric(spec.target(), true);
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
        long started = System.nanoTime();
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        Prepared pr = prepare(table, spec, config);
        int[] rows = pr.rows();
        TrainingStatistics stats = pr.stats();
        FeatureLayout layout = pr.layout();
        float[][] x = pr.x();
        float[][] seasonal = pr.seasonal();
        float[] y = pr.y();
        int n = rows.length;
        int batch = pr.batch();
        boolean vi = config.estimator() == Estimator.VI;
        Objective objective = new Objective(spec.likelihood(), vi,
                config.estimator() == Estimator.MLE ? 0 : 1, config.klWeight(), config.mcSamples(),
                config.learningRate(), n);
        int k = config.ensemble();
        int p = layout.parameterCount();
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom[] memberRng = new SplittableRandom[k];
        for (int m = 0; m < k; m++) {
            memberRng[m] = root.split();
        }
        SplittableRandom stepRng = root.split();
        double yStd = populationStd(y);
        float[][] state = new float[k][];
        for (int m = 0; m < k; m++) {
            state[m] = initialState(layout, vi, yStd, memberRng[m]);
        }
        int batchesPerEpoch = n / batch;
        int totalSteps = config.epochs() * batchesPerEpoch;
        float[][] losses = new float[k][vi ? totalSteps : config.epochs()];
        float[][] finalState;
        try (TrainingEngine engine = backend.openTraining(layout, objective,
                new TrainingData(x, seasonal, y), k, config.threads())) {
            engine.setState(state);
            float[] stepLoss = new float[k];
            if (vi) {
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
            } else {
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
            finalState = engine.state();
        }
        float[][] components = vi ? posteriorSamples(finalState, config.posteriorSamples(), p, stepRng.nextLong())
                : finalState;
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("seed", Long.toString(config.seed()));
        prov.put("backend", backend.id());
        prov.put("device", backend.device());
        prov.put("threads", Integer.toString(config.threads()));
        prov.put("bayesnf.version", Versions.PROJECT);
        prov.put("java.version", System.getProperty("java.version"));
        prov.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        prov.put("trained.at", Instant.now().toString());
        prov.put("training.seconds", String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9));
        prov.put("training.rows", Integer.toString(n));
        prov.put("training.source", table.source());
        prov.put("final.loss", Float.toString(meanLast(losses)));
        prov.put("target.scaling", spec.targetScaling().id());
        if (spec.time() != null) {
            // The last training time (period index or number): the statistics' time scale cannot tell
            // one training time (scale set to 1) from two one step apart, and raster products
            // validate forecast and interpolation times against this value.
            double last = Double.NEGATIVE_INFINITY;
            for (double o : stats.timeOffsets(spec, table, rows)) {
                last = Math.max(last, o);
            }
            prov.put(TRAINING_TIME_LAST, Double.toString(stats.timeMin() + last));
        }
        return new BayesNFModel(spec, config, stats, components, losses, prov);
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
                Map.of("checkpoint.epoch", Integer.toString(epoch))));
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
