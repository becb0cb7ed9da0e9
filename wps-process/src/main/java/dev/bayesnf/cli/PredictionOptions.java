package dev.bayesnf.cli;

import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The prediction options {@code predict}, {@code forecast} and {@code interpolate} share: residual
 * kriging on or off, a lower bound, the compute backend and its threads.
 */
final class PredictionOptions {
    @Option(names = "--residual-kriging", defaultValue = "yes", paramLabel = "yes|no", description = "Add the model's kriged residuals when it has them (default ${DEFAULT-VALUE}; no: BayesNF alone).")
    String residualKriging;

    @Option(names = "--lower-bound", paramLabel = "B", description = "The least value the quantity can take, e.g. 0 for a concentration or a wind speed: quantiles below it are raised to it and the mean is that of the distribution censored there (normal likelihood; default: none).")
    Double lowerBound;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|java|...", description = "Compute backend (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all processors).")
    int threads;

    /** Whether to add the model's kriged residuals. */
    boolean residualKriging() {
        return YesNo.parse("--residual-kriging", residualKriging, true);
    }

    /** The lower bound, or NaN for none. */
    double lowerBound() {
        return lowerBound == null ? Double.NaN : lowerBound;
    }

    /** The selected compute backend. */
    ComputeBackend backend() {
        return Backends.select(device);
    }

    /** Quantile levels from the --quantiles words. */
    static double[] levels(List<String> quantiles) {
        double[] levels = new double[quantiles.size()];
        for (int i = 0; i < levels.length; i++) {
            try {
                levels[i] = Double.parseDouble(quantiles.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--quantiles: '" + quantiles.get(i) + "' is not a number", e);
            }
        }
        return levels;
    }
}
