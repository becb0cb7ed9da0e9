package dev.bayesnf.service.geo;

import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sis.metadata.iso.extent.Extents;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.IdentifiedObjects;
import org.apache.sis.referencing.crs.AbstractCRS;
import org.apache.sis.referencing.cs.AxesConvention;
import org.opengis.metadata.extent.GeographicBoundingBox;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.crs.GeographicCRS;
import org.opengis.referencing.operation.MathTransform;
import org.opengis.referencing.operation.TransformException;
import org.opengis.util.FactoryException;

/**
 * Coordinate reference systems by code, through Apache SIS, always in (easting, northing) =
 * (longitude, latitude) axis order. Axis-order rules of the protocols (EPSG:4326 is
 * latitude-first in WMS 1.3.0 and in URN form) are applied by the callers that parse requests;
 * everything inside the service is x = east, y = north.
 *
 * <p>Codes: {@code EPSG:n}, {@code CRS:84}, {@code OGC:CRS84}, OGC URNs
 * ({@code urn:ogc:def:crs:EPSG::4326}) and http URIs
 * ({@code http://www.opengis.net/def/crs/OGC/1.3/CRS84}). Every two-dimensional CRS of the EPSG
 * geodetic dataset is known (national grids such as EPSG:28992 or EPSG:27700 included): SIS reads
 * it from the embedded database of {@code sis-embedded-data}; other codes are refused with
 * {@link UnknownCrsException}. The systems nearly every request uses (CRS:84, EPSG:4326, EPSG:4258,
 * EPSG:3857, EPSG:3395, UTM zones) are built in ({@link BuiltInCrs}) and never open that database,
 * whose first look-up in a JVM costs seconds.
 *
 * <p>Thread-safe; parsed systems and transforms are cached.
 */
public final class Crs {
    /**
     * Where the Derby engine under the EPSG database writes its log: nowhere. By default it
     * creates {@code derby.log} in the working directory of every command and service.
     */
    public static final OutputStream DERBY_LOG = OutputStream.nullOutputStream();

    static {
        if (System.getProperty("derby.stream.error.file") == null
                && System.getProperty("derby.stream.error.field") == null
                && System.getProperty("derby.stream.error.method") == null) {
            System.setProperty("derby.stream.error.field", Crs.class.getName() + ".DERBY_LOG");
        }
    }

    private static final Map<String, CoordinateReferenceSystem> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, MathTransform> TRANSFORMS = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> NORTHING_FIRST = new ConcurrentHashMap<>();

    private Crs() {}

    /** The CRS of {@code code} in (east, north) axis order. */
    public static CoordinateReferenceSystem parse(String code) {
        String key = normalize(code);
        CoordinateReferenceSystem c = CACHE.get(key);
        if (c == null) {
            try {
                CoordinateReferenceSystem builtIn = BuiltInCrs.parse(key);
                c = AbstractCRS.castOrCopy(builtIn != null ? builtIn : CRS.forCode(key))
                        .forConvention(AxesConvention.RIGHT_HANDED);
            } catch (FactoryException | RuntimeException e) {
                throw new UnknownCrsException("unknown coordinate reference system '" + code
                        + "': not in the EPSG dataset (codes look like EPSG:28992, CRS:84 or urn:ogc:def:crs:EPSG::4326)");
            }
            int dims = c.getCoordinateSystem().getDimension();
            if (dims != 2) {
                // a 3-D CRS (EPSG:4979) would make every transform of (x, y) pairs read past its
                // arrays: maps, grids and points here have two coordinates
                throw new UnknownCrsException("coordinate reference system '" + code + "' has " + dims
                        + " dimensions; a two-dimensional (horizontal) CRS is needed, e.g. EPSG:4326 for EPSG:4979");
            }
            CACHE.put(key, c);
        }
        return c;
    }

    /**
     * The note for coordinates fitted without a CRS ({@link dev.bayesnf.core.Georeference#LOCAL}):
     * what they are taken for, and {@code how} to give a CRS (the option or input's name).
     */
    public static String localCoordinatesNote(dev.bayesnf.core.Georeference g, String how) {
        boolean degrees = g.minX() >= -180 && g.maxX() <= 360 && g.minY() >= -90 && g.maxY() <= 90;
        return "coordinates " + g.x() + ", " + g.y() + " have no CRS: distances are taken in their own unit on a"
                + " plane, and the model predicts points but makes no maps; give " + how + " for maps"
                + (degrees ? " (if they are longitude and latitude, EPSG:4326 measures distances on the sphere)" : "");
    }

    /**
     * Checks, before any training, that coordinates spanning [minX, maxX] x [minY, maxY] can be
     * in {@code code}: the CRS is known and two-dimensional; in a geographic CRS longitudes lie
     * within +-360 and latitudes within +-90 (a projected or swapped pair of columns is caught
     * here); in a projected CRS the extent, transformed to longitude/latitude, touches the CRS's
     * area of use widened by a degree (data may run past a zone's edge; coordinates of another
     * CRS land far away).
     *
     * @param columns how to name the two coordinate columns in a message, e.g. "x, y"
     * @throws UnknownCrsException naming the CRS, the columns and the values
     */
    public static void checkExtent(String code, String columns, double minX, double minY, double maxX, double maxY) {
        if (dev.bayesnf.core.Georeference.LOCAL.equals(code)) {
            return; // no CRS, no domain to check against
        }
        CoordinateReferenceSystem c = parse(code);
        String span = String.format(Locale.ROOT, "x %.6g to %.6g, y %.6g to %.6g", minX, maxX, minY, maxY);
        if (c instanceof GeographicCRS) {
            if (minY < -90 || maxY > 90 || minX < -360 || maxX > 360) {
                throw new UnknownCrsException("the coordinate columns (" + columns + ") span " + span + ", outside"
                        + " longitude/latitude of " + normalize(code) + " (latitude within -90..90): are they projected"
                        + " coordinates (then give their CRS, e.g. EPSG:28992) or in latitude, longitude order?");
            }
            return;
        }
        GeographicBoundingBox box = Extents.getGeographicBoundingBox(c.getDomainOfValidity());
        double[] area = box != null ? new double[] {box.getWestBoundLongitude(), box.getSouthBoundLatitude(),
            box.getEastBoundLongitude(), box.getNorthBoundLatitude()} : BuiltInCrs.area(normalize(code));
        if (area == null) {
            return;
        }
        double[] xy = {minX, minY, maxX, minY, minX, maxY, maxX, maxY, (minX + maxX) / 2, (minY + maxY) / 2};
        transform(code, "CRS:84", xy, 5);
        // an area across the antimeridian (New Zealand's, Alaska's) runs from west to east + 360;
        // longitudes are compared in that frame
        double areaEast = area[2] < area[0] ? area[2] + 360 : area[2];
        double west = Double.POSITIVE_INFINITY;
        double east = Double.NEGATIVE_INFINITY;
        double south = Double.POSITIVE_INFINITY;
        double north = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 5; i++) {
            if (Double.isFinite(xy[2 * i]) && Double.isFinite(xy[2 * i + 1])) {
                double lon = area[2] < area[0] && xy[2 * i] < area[0] - 1 ? xy[2 * i] + 360 : xy[2 * i];
                west = Math.min(west, lon);
                east = Math.max(east, lon);
                south = Math.min(south, xy[2 * i + 1]);
                north = Math.max(north, xy[2 * i + 1]);
            }
        }
        boolean touches = west <= east && west <= areaEast + 1 && east >= area[0] - 1
                && south <= area[3] + 1 && north >= area[1] - 1;
        if (!touches) {
            throw new UnknownCrsException(String.format(Locale.ROOT, "the coordinate columns (%s) span %s, which is"
                    + " not in the area where %s is used (longitude %.1f to %.1f, latitude %.1f to %.1f): is %s the CRS"
                    + " of these columns?", columns, span, normalize(code), area[0], area[2], area[1], area[3],
                    normalize(code)));
        }
    }

    /** Whether {@code code} is a geographic (longitude, latitude) CRS. */
    public static boolean isGeographic(String code) {
        return parse(code) instanceof GeographicCRS;
    }

    /**
     * The EPSG code of a CRS written in WKT (a shapefile's {@code .prj}, ESRI or OGC flavour),
     * found in the EPSG dataset by its definition, not only its name.
     *
     * @return {@code EPSG:n}, or empty when the WKT cannot be parsed or matches no EPSG system
     */
    public static Optional<String> fromWkt(String wkt) {
        try {
            CoordinateReferenceSystem c = CRS.fromWKT(wkt);
            Integer code = IdentifiedObjects.lookupEPSG(c);
            return code == null ? Optional.empty() : Optional.of("EPSG:" + code);
        } catch (FactoryException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code code} names a known CRS. */
    public static boolean isKnown(String code) {
        try {
            parse(code);
            return true;
        } catch (UnknownCrsException e) {
            return false;
        }
    }

    /**
     * The short code a client would write ({@code EPSG:4326}, {@code CRS:84}) for any accepted
     * spelling: URNs and URIs become {@code AUTHORITY:CODE}; CRS84 becomes {@code CRS:84}.
     */
    public static String normalize(String code) {
        if (code == null) {
            throw new UnknownCrsException("no coordinate reference system given");
        }
        String c = code.trim();
        String u = c.toUpperCase(Locale.ROOT);
        if (u.endsWith("CRS84") || u.equals("CRS:84")) {
            return "CRS:84";
        }
        if (u.startsWith("URN:OGC:DEF:CRS:EPSG:")) {
            return "EPSG:" + c.substring(c.lastIndexOf(':') + 1);
        }
        if (u.startsWith("HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/")) {
            return "EPSG:" + c.substring(c.lastIndexOf('/') + 1);
        }
        if (u.startsWith("EPSG:")) {
            return "EPSG:" + c.substring(5).trim();
        }
        return c;
    }

    /**
     * Whether a bounding box or coordinate in {@code code}, as written in an OGC request that
     * follows the CRS's own axis order (WMS 1.3.0, WPS with URN codes), lists latitude or northing
     * first. True for EPSG geographic systems (EPSG:4326, EPSG:4258); false for CRS:84 and for
     * projected systems whose first axis is easting.
     */
    public static boolean northingFirst(String code) {
        // Asked on every WMS GetMap: look the authority's axis order up once per code.
        String key = normalize(code);
        Boolean cached = NORTHING_FIRST.get(key);
        if (cached != null) {
            return cached;
        }
        Boolean builtIn = BuiltInCrs.northingFirst(key);
        if (builtIn != null) {
            return builtIn;
        }
        boolean north;
        try {
            CoordinateReferenceSystem c = CRS.forCode(key);
            north = CRS.getHorizontalComponent(c) != null
                    && c.getCoordinateSystem().getAxis(0).getDirection()
                            == org.opengis.referencing.cs.AxisDirection.NORTH;
        } catch (FactoryException | RuntimeException e) {
            throw new UnknownCrsException("unknown coordinate reference system '" + code + "'");
        }
        NORTHING_FIRST.put(key, north);
        return north;
    }

    /**
     * Transforms n points in place from one CRS to another ({@code xy} holds x0, y0, x1, y1, ...
     * in east/north order). Points that cannot be transformed become NaN.
     */
    public static void transform(String from, String to, double[] xy, int n) {
        String a = normalize(from);
        String b = normalize(to);
        if (a.equals(b) || (isLonLat(a) && isLonLat(b))) {
            return;
        }
        MathTransform t = TRANSFORMS.computeIfAbsent(a + "\u0000" + b, k -> {
            try {
                return BuiltInCrs.wkt(a) != null && BuiltInCrs.wkt(b) != null ? BuiltInCrs.transform(parse(a), parse(b))
                        : CRS.findOperation(parse(a), parse(b), null).getMathTransform();
            } catch (FactoryException e) {
                throw new UnknownCrsException("no transformation from " + a + " to " + b + ": " + e.getMessage());
            }
        });
        try {
            t.transform(xy, 0, xy, 0, n);
        } catch (TransformException e) {
            // SIS sets the failing points to NaN and transforms the others; re-run one by one.
            double[] p = new double[2];
            for (int i = 0; i < n; i++) {
                p[0] = xy[2 * i];
                p[1] = xy[2 * i + 1];
                try {
                    t.transform(p, 0, p, 0, 1);
                    xy[2 * i] = p[0];
                    xy[2 * i + 1] = p[1];
                } catch (TransformException e2) {
                    xy[2 * i] = Double.NaN;
                    xy[2 * i + 1] = Double.NaN;
                }
            }
        }
    }

    private static boolean isLonLat(String code) {
        return code.equals("CRS:84") || code.equals("EPSG:4326");
    }
}
