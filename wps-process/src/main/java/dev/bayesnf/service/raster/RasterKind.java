package dev.bayesnf.service.raster;

import java.util.Locale;

/**
 * The two raster products of a fitted model, which differ only in the times they accept (see
 * {@link RasterRequest#plan}):
 *
 * <ul>
 *   <li>{@link #FORECAST}: times after the last training time; default the first period after it.
 *       Purely spatial models cannot forecast.
 *   <li>{@link #INTERPOLATE}: times within the training time range (first to last training time,
 *       both included); default the last training time; purely spatial models take no time.
 * </ul>
 */
public enum RasterKind {
    /** Predict after the end of the training data. */
    FORECAST,
    /** Predict within the training period, at unsampled places. */
    INTERPOLATE;

    /** The lower-case name used by the command line and the processes ("forecast", "interpolate"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
