package dev.bayesnf.core;

/**
 * Predictions for n rows: the mean of the predictive mixture and its quantiles
 * ({@code quantiles[j][row]} at level {@code levels[j]}).
 *
 * <p>Arrays are shared, not copied.
 */
public record Prediction(double[] levels, double[] mean, double[][] quantiles) {}
