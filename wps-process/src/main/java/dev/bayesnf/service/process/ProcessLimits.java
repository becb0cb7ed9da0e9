package dev.bayesnf.service.process;

import java.time.Duration;
import java.util.List;

/**
 * What the processes accept, the same wherever they run (the service, the GeoServer plugin):
 * the sizes of their work and where inputs given by reference may come from.
 *
 * @param maxRows largest number of data rows in a Fit or Predict input
 * @param maxCellSteps largest grid cells x time steps of a Forecast or Interpolate
 * @param maxEnsembleEpochs largest ensemble x epochs of a Fit
 * @param allowedHosts hosts (or host:port) whose URLs may be fetched for inputs given by reference
 *     (empty: none)
 * @param maxReferenceBytes largest document fetched for a reference
 * @param referenceTimeout limit on connecting to a reference and on fetching all of it
 */
public record ProcessLimits(int maxRows, long maxCellSteps, long maxEnsembleEpochs, List<String> allowedHosts,
        long maxReferenceBytes, Duration referenceTimeout) {

    public ProcessLimits {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** The embedded defaults: 2,000,000 rows, 50,000,000 cell-steps, 2,000,000 ensemble-epochs, no hosts, 64 MiB, 20 s. */
    public static ProcessLimits defaults() {
        return new ProcessLimits(2_000_000, 50_000_000L, 2_000_000L, List.of(), 64L << 20, Duration.ofSeconds(20));
    }
}
