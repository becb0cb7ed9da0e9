package dev.bayesnf.core.compute;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import java.util.Optional;

/**
 * A place where BayesNF ensembles train and predict: the plain-Java backend in this module, the
 * OpenCL backend in {@code opencl-kernels}. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.bayesnf.core.compute.ComputeBackend})
 * and chosen by {@link Backends}.
 *
 * <p>Implementations are thread-safe; engines they open are not.
 */
public interface ComputeBackend {
    /** Short identifier used by {@code --device} ("java", "opencl"). */
    String id();

    /** Order of automatic selection: higher first. */
    int priority();

    /** Empty when usable here, else why not (a sentence for the user). */
    Optional<String> unavailableReason();

    /** Human-readable description of the device this backend computes on. */
    String device();

    /**
     * Whether this backend computes on a GPU or accelerator (not on the CPUs): the device kind of
     * the default settings ({@link dev.bayesnf.core.FitDefaults}). False unless a backend says so.
     */
    default boolean accelerator() {
        return false;
    }

    /**
     * Opens a training engine for K members over the given data, keeping the data resident.
     *
     * @param threads worker threads a CPU backend may use (0 = all processors)
     */
    TrainingEngine openTraining(FeatureLayout layout, Objective objective, TrainingData data,
            int members, int threads);

    /**
     * Network outputs f(x) for every parameter vector and row.
     *
     * @param params K parameter vectors of {@link FeatureLayout#parameterCount()} values
     * @param x rows of D inputs
     * @param seasonal rows of 2J seasonal values
     * @param threads worker threads a CPU backend may use (0 = all processors)
     * @return {@code f[k][row]}
     */
    float[][] forward(FeatureLayout layout, float[][] params, float[][] x, float[][] seasonal, int threads);

    /**
     * The equal-weight mixture's predictive mean and quantiles per row (spec §6.4) computed by the
     * backend itself, or null when it leaves them to {@link dev.bayesnf.core.BayesNFPredictor}
     * (the default: the Java predictor summarises {@link #forward}'s outputs in double).
     *
     * @param levels quantile levels in (0, 1)
     * @return {@code [1 + levels.length][rows]}: the mean, then one row per level; or null
     */
    default float[][] summarize(ObservationModel likelihood, FeatureLayout layout, float[][] params, float[][] x,
            float[][] seasonal, double[] levels, int threads) {
        return null;
    }

    /**
     * Opens a session that predicts with one ensemble over many calls. The default runs each call
     * through {@link #forward} and {@link #summarize}; a device backend overrides it to keep the
     * parameters and buffers on its device between calls.
     *
     * @param params K parameter vectors of {@link FeatureLayout#parameterCount()} values
     * @param threads worker threads a CPU backend may use (0 = all processors)
     */
    default PredictionSession openPrediction(FeatureLayout layout, float[][] params, int threads) {
        return new PredictionSession() {
            @Override
            public float[][] forward(float[][] x, float[][] seasonal) {
                return ComputeBackend.this.forward(layout, params, x, seasonal, threads);
            }

            @Override
            public float[][] summarize(ObservationModel likelihood, float[][] x, float[][] seasonal,
                    double[] levels) {
                return ComputeBackend.this.summarize(likelihood, layout, params, x, seasonal, levels, threads);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * This backend restricted to one of its devices, for a request such as {@code opencl:1}
     * ({@code request} is the whole request text). Backends with a single device refuse a
     * suffix.
     *
     * @throws IllegalArgumentException for a device this backend does not have or cannot parse
     */
    default ComputeBackend forRequest(String request) {
        if (request.contains(":")) {
            throw new IllegalArgumentException("device '" + request + "': backend '" + id()
                    + "' has no numbered devices");
        }
        return this;
    }
}
