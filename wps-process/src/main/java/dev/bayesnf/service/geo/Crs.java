package dev.bayesnf.service.geo;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.crs.AbstractCRS;
import org.apache.sis.referencing.cs.AxesConvention;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
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
 * ({@code http://www.opengis.net/def/crs/OGC/1.3/CRS84}). Without the (non-free) EPSG database
 * SIS knows EPSG:4326, CRS:84, EPSG:3857, EPSG:3395, EPSG:4258, the WGS 84 / ETRS89 UTM zones and a
 * few more; other codes are refused with {@link UnknownCrsException}.
 *
 * <p>Thread-safe; parsed systems and transforms are cached.
 */
public final class Crs {
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
                c = AbstractCRS.castOrCopy(CRS.forCode(key)).forConvention(AxesConvention.RIGHT_HANDED);
            } catch (FactoryException | RuntimeException e) {
                throw new UnknownCrsException("unknown or unsupported coordinate reference system '" + code
                        + "' (supported: EPSG:4326, CRS:84, EPSG:3857, EPSG:3395, EPSG:4258, UTM zones EPSG:326nn/327nn/258nn)");
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
        boolean north;
        try {
            CoordinateReferenceSystem c = CRS.forCode(key);
            north = CRS.getHorizontalComponent(c) != null
                    && c.getCoordinateSystem().getAxis(0).getDirection()
                            == org.opengis.referencing.cs.AxisDirection.NORTH;
        } catch (FactoryException | RuntimeException e) {
            throw new UnknownCrsException("unknown or unsupported coordinate reference system '" + code + "'");
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
                return CRS.findOperation(parse(a), parse(b), null).getMathTransform();
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
