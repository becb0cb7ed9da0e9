package dev.bayesnf.core.compute;

import dev.bayesnf.core.ObservationModel;

/**
 * Predictions of one ensemble over many calls ({@link ComputeBackend#openPrediction}): a backend
 * with a device keeps the parameters, the compiled kernel and its buffers there from one call to
 * the next, so a raster predicted in thousands of chunks pays for them once.
 *
 * <p>Not thread-safe; close it to release what the backend holds.
 */
public interface PredictionSession extends AutoCloseable {
    /**
     * Network outputs of every member for the rows.
     *
     * @param x rows of D inputs
     * @param seasonal rows of 2J seasonal values
     * @return {@code f[k][row]}
     */
    float[][] forward(float[][] x, float[][] seasonal);

    /**
     * The equal-weight mixture's predictive mean and quantiles per row computed by the backend,
     * or null when it leaves them to {@link dev.bayesnf.core.BayesNFPredictor}
     * (see {@link ComputeBackend#summarize}).
     *
     * @return {@code [1 + levels.length][rows]}, or null
     */
    float[][] summarize(ObservationModel likelihood, float[][] x, float[][] seasonal, double[] levels);

    @Override
    void close();
}
