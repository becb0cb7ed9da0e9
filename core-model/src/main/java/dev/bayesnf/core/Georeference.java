package dev.bayesnf.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which two feature columns of a model are its spatial coordinates, in which coordinate reference
 * system, and the extent the training data covered. Raster products (forecast and interpolation
 * grids) need it to turn grid cells into model inputs; point predictions do not.
 *
 * <p>The CRS is kept as a code string ({@code EPSG:4326}, {@code EPSG:32633}, ...): the core model
 * knows no GIS library. Coordinates without a CRS (a local grid, shifted national coordinates, or
 * simply no {@code --crs}) have the code {@link #LOCAL}: they are planar in their own unit, which is
 * all that residual kriging needs (distances), while maps, which must be placed on the Earth, are
 * refused for them. {@code x} is the easting or longitude column and {@code y} the northing or
 * latitude column, whatever order the CRS defines for its axes.
 *
 * @param x feature column holding the easting or longitude
 * @param y feature column holding the northing or latitude
 * @param crs coordinate reference system code of (x, y)
 * @param minX smallest training x
 * @param minY smallest training y
 * @param maxX largest training x
 * @param maxY largest training y
 */
public record Georeference(String x, String y, String crs, double minX, double minY, double maxX, double maxY) {

    /**
     * The code of coordinates without a CRS: planar (Euclidean distances) in the columns' own unit.
     * Written to model files as such ({@code geo.crs=LOCAL}).
     */
    public static final String LOCAL = "LOCAL";

    private static final Set<String> X_NAMES = Set.of("longitude", "lon", "lng", "long", "x", "easting");
    private static final Set<String> Y_NAMES = Set.of("latitude", "lat", "y", "northing");
    private static final Set<String> GEOGRAPHIC = Set.of("longitude", "lon", "lng", "long", "latitude", "lat");

    public Georeference {
        if (x == null || y == null || x.equals(y)) {
            throw new IllegalArgumentException("two different coordinate columns are needed, got " + x + ", " + y);
        }
        if (crs == null || crs.isBlank()) {
            throw new IllegalArgumentException("the coordinate reference system is missing");
        }
        if (!(minX <= maxX && minY <= maxY)) {
            throw new IllegalArgumentException("the extent is empty or not finite");
        }
    }

    /**
     * The coordinate columns of {@code spec}: {@code columns} when given (x then y), otherwise the
     * features named like a longitude/easting and a latitude/northing (longitude, lon, lng, x,
     * easting; latitude, lat, y, northing; case-insensitive). The CRS is {@code crs} when given,
     * otherwise EPSG:4326 when both columns are named as geographic coordinates, otherwise
     * {@link #LOCAL}: coordinates are worth knowing without a CRS, since the residual kriging needs
     * only their distances (without them, a model of x and y alone has no kriging and its trend has
     * to pass through every station).
     *
     * @return empty when no coordinate pair is found
     * @throws SettingException when {@code columns} is not two columns
     * @throws DataException when {@code columns} names something that is not a feature
     */
    public static Optional<Georeference> of(ModelSpec spec, DataTable table, int[] rows, List<String> columns,
            String crs) {
        String xc = null;
        String yc = null;
        if (columns != null && !columns.isEmpty()) {
            if (columns.size() != 2) {
                throw new SettingException(Setting.COORDINATES, SettingException.NAME + " takes two columns (x,y), got "
                        + columns.size());
            }
            xc = columns.get(0);
            yc = columns.get(1);
            for (String c : columns) {
                if (!spec.features().contains(c)) {
                    throw new DataException("coordinate column '" + c + "' is not one of the features "
                            + spec.features());
                }
            }
        } else {
            for (String f : spec.features()) {
                String l = f.toLowerCase(Locale.ROOT);
                if (xc == null && X_NAMES.contains(l)) {
                    xc = f;
                } else if (yc == null && Y_NAMES.contains(l)) {
                    yc = f;
                }
            }
            if (xc == null || yc == null) {
                return Optional.empty();
            }
        }
        String code = crs;
        if (code == null || code.isBlank()) {
            code = GEOGRAPHIC.contains(xc.toLowerCase(Locale.ROOT)) && GEOGRAPHIC.contains(yc.toLowerCase(Locale.ROOT))
                    ? "EPSG:4326" : LOCAL;
        }
        double[] xv = table.numeric(xc, false);
        double[] yv = table.numeric(yc, false);
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int r : rows) {
            minX = Math.min(minX, xv[r]);
            maxX = Math.max(maxX, xv[r]);
            minY = Math.min(minY, yv[r]);
            maxY = Math.max(maxY, yv[r]);
        }
        return Optional.of(new Georeference(xc, yc, code.trim(), minX, minY, maxX, maxY));
    }

    /** Whether the coordinates have a CRS, so that they can be placed on the Earth (maps, reprojection). */
    public boolean hasCrs() {
        return !LOCAL.equals(crs);
    }

    /** Whether (x, y) are geographic longitude and latitude in degrees. */
    public boolean geographic() {
        String c = crs.toUpperCase(Locale.ROOT);
        return c.equals("EPSG:4326") || c.equals("CRS:84") || c.equals("OGC:CRS84");
    }
}
