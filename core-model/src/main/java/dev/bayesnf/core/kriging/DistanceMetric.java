package dev.bayesnf.core.kriging;

/**
 * How far apart two sites are: planar (Euclidean in the coordinate reference system's units,
 * metres for projected CRSs) or great-circle kilometres for longitude/latitude in degrees.
 *
 * <p>{@link #embed} maps a site to three dimensions where straight-line distance grows with the
 * metric's distance (the chord of the sphere for great-circle distances), so a k-d tree in the
 * embedding finds the metric's nearest neighbours exactly.
 */
public enum DistanceMetric {
    /** Euclidean distance in the coordinates' own units. */
    PLANAR("CRS unit"),
    /** Great-circle (haversine) distance in kilometres; x is longitude, y latitude, in degrees. */
    GREAT_CIRCLE_KM("km");

    /** Mean Earth radius (IUGG), km. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    private final String unit;

    DistanceMetric(String unit) {
        this.unit = unit;
    }

    /** The unit of distances and spatial ranges: "km", or "CRS unit" for planar coordinates. */
    public String unit() {
        return unit;
    }

    /** Distance between (x1, y1) and (x2, y2). */
    public double distance(double x1, double y1, double x2, double y2) {
        if (this == PLANAR) {
            return Math.hypot(x1 - x2, y1 - y2);
        }
        double p1 = Math.toRadians(y1);
        double p2 = Math.toRadians(y2);
        double sp = Math.sin((p2 - p1) / 2);
        double sl = Math.sin(Math.toRadians(x2 - x1) / 2);
        double a = sp * sp + Math.cos(p1) * Math.cos(p2) * sl * sl;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Writes the three-dimensional embedding of (x, y) to {@code out[off..off+2]}. */
    public void embed(double x, double y, double[] out, int off) {
        if (this == PLANAR) {
            out[off] = x;
            out[off + 1] = y;
            out[off + 2] = 0;
        } else {
            double lat = Math.toRadians(y);
            double lon = Math.toRadians(x);
            double c = Math.cos(lat);
            out[off] = EARTH_RADIUS_KM * c * Math.cos(lon);
            out[off + 1] = EARTH_RADIUS_KM * c * Math.sin(lon);
            out[off + 2] = EARTH_RADIUS_KM * Math.sin(lat);
        }
    }

    /** Parses the name ({@code PLANAR} or {@code GREAT_CIRCLE_KM}). */
    public static DistanceMetric parse(String name) {
        return valueOf(name.trim());
    }
}
