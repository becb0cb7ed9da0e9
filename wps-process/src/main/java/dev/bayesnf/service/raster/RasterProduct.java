package dev.bayesnf.service.raster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A forecast or interpolation raster: for every time step, the predictive mean and one band per
 * quantile level, on one {@link Grid}. Band {@code t * (1 + levels.length) + 0} is the mean at time
 * {@code t}, band {@code t * (1 + levels.length) + 1 + k} the quantile at {@code levels[k]}. Each
 * band is row-major, row 0 at the top; cells outside the model's domain are NaN (NoData).
 *
 * <p>For purely spatial models {@code times} is empty and there is one group of bands.
 *
 * @param grid the grid
 * @param times time step labels as ISO 8601 text (or numbers for numeric time), empty when none
 * @param levels quantile levels
 * @param target the predicted variable's name
 * @param bands {@code max(1, times.size()) * (1 + levels.length)} arrays of {@code width*height}
 *     values; shared, not copied
 */
public record RasterProduct(Grid grid, List<String> times, double[] levels, String target, float[][] bands) {

    public RasterProduct {
        times = List.copyOf(times);
        int expected = timeSteps(times) * (1 + levels.length);
        if (bands.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " bands, got " + bands.length);
        }
        for (float[] b : bands) {
            if (b.length != grid.cells()) {
                throw new IllegalArgumentException("a band has " + b.length + " cells, the grid " + grid.cells());
            }
        }
    }

    private static int timeSteps(List<String> times) {
        return Math.max(1, times.size());
    }

    /** Number of time steps (1 for purely spatial products). */
    public int timeSteps() {
        return timeSteps(times);
    }

    /** Bands per time step: the mean and one per quantile level. */
    public int bandsPerStep() {
        return 1 + levels.length;
    }

    /** Index of the mean band of time step {@code t}. */
    public int meanBand(int t) {
        return t * bandsPerStep();
    }

    /** Index of the band of quantile {@code k} at time step {@code t}. */
    public int quantileBand(int t, int k) {
        return t * bandsPerStep() + 1 + k;
    }

    /** The quantile label as in the CSV output: "q" followed by the level ("q0.025"). */
    public static String quantileName(double level) {
        String s = Double.toString(level);
        return "q" + (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s);
    }

    /**
     * A description of every band, written into the GeoTIFF: "mean" or "q0.025", followed by
     * " @ TIME" when there is a time axis.
     */
    public List<String> bandDescriptions() {
        List<String> d = new ArrayList<>();
        for (int t = 0; t < timeSteps(); t++) {
            String suffix = times.isEmpty() ? "" : " @ " + times.get(t);
            d.add(target + " mean" + suffix);
            for (double q : levels) {
                d.add(String.format(Locale.ROOT, "%s %s%s", target, quantileName(q), suffix));
            }
        }
        return d;
    }
}
