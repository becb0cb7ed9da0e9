package dev.bayesnf.service.geo;

import java.util.Locale;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.operation.CoordinateOperationFinder;
import org.apache.sis.referencing.operation.DefaultCoordinateOperationFactory;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.operation.MathTransform;
import org.opengis.util.FactoryException;

/**
 * The systems nearly every request uses (CRS:84, EPSG:4326, EPSG:4258, EPSG:3857, EPSG:3395 and
 * the WGS 84 and ETRS89 UTM zones), defined here in WKT with east/north axes, and the transforms
 * between them derived from their definitions. They never open the EPSG database: its first
 * look-up in a JVM costs several seconds of CPU (Derby starting, then its queries), which a map
 * request, a service start or a short command should not pay for the systems everyone uses. Any
 * other code goes to the database ({@link Crs}).
 */
final class BuiltInCrs {
    private static final String WGS84 = "GEOGCS[\"WGS 84\",DATUM[\"World Geodetic System 1984\","
            + "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],"
            + "UNIT[\"degree\",0.0174532925199433],AXIS[\"Longitude\",EAST],AXIS[\"Latitude\",NORTH]]";
    // ETRS89 and WGS 84 differ by less than a metre; EPSG's transformation 1149 between them is null
    private static final String ETRS89 = "GEOGCS[\"ETRS89\",DATUM[\"European Terrestrial Reference System 1989\","
            + "SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],"
            + "UNIT[\"degree\",0.0174532925199433],AXIS[\"Longitude\",EAST],AXIS[\"Latitude\",NORTH]]";

    private BuiltInCrs() {}

    /** The WKT of {@code code} (normalized, {@code AUTHORITY:CODE}), or null when not built in. */
    static String wkt(String code) {
        switch (code) {
            case "CRS:84", "EPSG:4326":
                return WGS84;
            case "EPSG:4258":
                return ETRS89;
            case "EPSG:3857":
                return projected("WGS 84 / Pseudo-Mercator", WGS84, "Popular Visualisation Pseudo Mercator", 0, 0, 1, 0);
            case "EPSG:3395":
                return projected("WGS 84 / World Mercator", WGS84, "Mercator_1SP", 0, 0, 1, 0);
            default:
                break;
        }
        if (code.matches("EPSG:32[67]\\d\\d")) {
            int zone = Integer.parseInt(code.substring(8));
            boolean south = code.charAt(7) == '7';
            if (zone >= 1 && zone <= 60) {
                return projected("WGS 84 / UTM zone " + zone + (south ? "S" : "N"), WGS84, "Transverse_Mercator", 0,
                        6 * zone - 183, 0.9996, south ? 10_000_000 : 0);
            }
        }
        if (code.matches("EPSG:258\\d\\d")) {
            int zone = Integer.parseInt(code.substring(8));
            if (zone >= 28 && zone <= 37) {
                return projected("ETRS89 / UTM zone " + zone + "N", ETRS89, "Transverse_Mercator", 0, 6 * zone - 183,
                        0.9996, 0);
            }
        }
        return null;
    }

    /**
     * The area of use of a built-in projected system as west, south, east, north in degrees (the
     * EPSG dataset's, which the WKT here does not carry), or null.
     */
    static double[] area(String code) {
        switch (code) {
            case "EPSG:3857":
                return new double[] {-180, -85.06, 180, 85.06};
            case "EPSG:3395":
                return new double[] {-180, -80, 180, 84};
            default:
                break;
        }
        if (wkt(code) == null || !code.matches("EPSG:(32[67]|258)\\d\\d")) {
            return null;
        }
        int zone = Integer.parseInt(code.substring(8));
        double west = 6 * zone - 186;
        if (code.startsWith("EPSG:258")) {
            // ETRS89 zones: Europe
            return new double[] {west, 34, west + 6, 84};
        }
        return code.charAt(7) == '7' ? new double[] {west, -80, west + 6, 0} : new double[] {west, 0, west + 6, 84};
    }

    /** Whether a request in {@code code}'s own axis order lists northing first (null: not built in). */
    static Boolean northingFirst(String code) {
        if (wkt(code) == null) {
            return null;
        }
        return code.equals("EPSG:4326") || code.equals("EPSG:4258");
    }

    /** The CRS of a built-in code, or null. */
    static CoordinateReferenceSystem parse(String code) throws FactoryException {
        String w = wkt(code);
        return w == null ? null : CRS.fromWKT(w);
    }

    /** The transform between two built-in systems, without the EPSG database. */
    static MathTransform transform(CoordinateReferenceSystem from, CoordinateReferenceSystem to) throws FactoryException {
        return new CoordinateOperationFinder(null, new DefaultCoordinateOperationFactory(), null)
                .createOperation(from, to).getMathTransform();
    }

    private static String projected(String name, String geographic, String method, double latitudeOfOrigin,
            double centralMeridian, double scale, double falseNorthing) {
        String params = method.equals("Popular Visualisation Pseudo Mercator") || method.equals("Mercator_1SP")
                ? String.format(Locale.ROOT, "PARAMETER[\"central_meridian\",%s],%sPARAMETER[\"false_easting\",0],"
                        + "PARAMETER[\"false_northing\",0],", num(centralMeridian),
                        method.equals("Mercator_1SP") ? "PARAMETER[\"scale_factor\",1]," : "")
                : String.format(Locale.ROOT, "PARAMETER[\"latitude_of_origin\",%s],PARAMETER[\"central_meridian\",%s],"
                        + "PARAMETER[\"scale_factor\",%s],PARAMETER[\"false_easting\",500000],"
                        + "PARAMETER[\"false_northing\",%s],", num(latitudeOfOrigin), num(centralMeridian), num(scale),
                        num(falseNorthing));
        return "PROJCS[\"" + name + "\"," + geographic + ",PROJECTION[\"" + method + "\"]," + params
                + "UNIT[\"metre\",1],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]]";
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
