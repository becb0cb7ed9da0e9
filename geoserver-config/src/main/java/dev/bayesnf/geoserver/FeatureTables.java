package dev.bayesnf.geoserver;

import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.process.ProcessException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.type.AttributeDescriptor;
import org.geotools.api.feature.type.GeometryDescriptor;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * Point feature collections as the project's observation tables. Every point becomes a row: its
 * coordinates in east/north order (swapped when the collection's CRS is latitude-first) as
 * {@code longitude}, {@code latitude} for a geographic CRS and {@code x}, {@code y} otherwise,
 * followed by every non-geometry attribute in schema order. Values are written as text the
 * processes parse: numbers as Java writes them, dates as ISO 8601 ({@code java.sql.Date} as a
 * date, other {@link Date}s as a UTC instant), missing values and NaN as empty cells.
 *
 * <p>Stateless and thread-safe.
 */
public final class FeatureTables {
    private FeatureTables() {}

    /**
     * A converted collection.
     *
     * @param columns column name to values, in column order
     * @param xColumn name of the east coordinate column
     * @param yColumn name of the north coordinate column
     * @param crs the collection's CRS as a short code ({@code EPSG:n}); EPSG:4326 when it has none
     * @param geographic whether that CRS is geographic (coordinates are longitude/latitude)
     */
    public record FeatureTable(Map<String, String[]> columns, String xColumn, String yColumn, String crs,
            boolean geographic) {
        public FeatureTable {
            columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }

        public int rows() {
            return columns.get(xColumn).length;
        }

        /** The project's table of these columns, named after {@code source}. */
        public DataTable table(String source) {
            return new DataTable(source, 1, columns);
        }

        /** The table as RFC 4180 CSV with a header, UTF-8, the form the processes read. */
        public byte[] csv() {
            StringWriter w = new StringWriter();
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                    .setHeader(columns.keySet().toArray(new String[0])).get())) {
                List<String[]> cols = new ArrayList<>(columns.values());
                List<String> row = new ArrayList<>(cols.size());
                for (int r = 0; r < rows(); r++) {
                    row.clear();
                    for (String[] c : cols) {
                        row.add(c[r]);
                    }
                    p.printRecord(row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return w.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Converts {@code features} (points only).
     *
     * @param input the process input it came from, named in error messages
     * @throws ProcessException naming the input when a feature has no point geometry or the
     *     collection's CRS has no code
     */
    public static FeatureTable of(String input, SimpleFeatureCollection features) {
        if (features == null) {
            throw ProcessException.missing(input, "input '" + input + "' is missing");
        }
        GeometryDescriptor gd = features.getSchema().getGeometryDescriptor();
        if (gd == null) {
            throw ProcessException.invalid(input, "input '" + input + "' has no geometry; it needs point features");
        }
        CoordinateReferenceSystem crs = gd.getCoordinateReferenceSystem() != null ? gd.getCoordinateReferenceSystem()
                : features.getSchema().getCoordinateReferenceSystem();
        String code = Coverages.code(input, crs);
        boolean swap = Coverages.northFirst(crs);
        boolean geographic = isGeographic(code);
        String xName = geographic ? "longitude" : "x";
        String yName = geographic ? "latitude" : "y";
        List<String> attributes = new ArrayList<>();
        for (AttributeDescriptor d : features.getSchema().getAttributeDescriptors()) {
            String n = d.getLocalName();
            if (d instanceof GeometryDescriptor || Geometry.class.isAssignableFrom(d.getType().getBinding())
                    || n.equals(xName) || n.equals(yName)) {
                continue;
            }
            attributes.add(n);
        }
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String a : attributes) {
            values.put(a, new ArrayList<>());
        }
        int i = 0;
        try (SimpleFeatureIterator it = features.features()) {
            while (it.hasNext()) {
                SimpleFeature f = it.next();
                i++;
                Object g = f.getDefaultGeometry();
                if (!(g instanceof Point p) || p.isEmpty()) {
                    throw ProcessException.invalid(input, "input '" + input + "': feature " + i + " ("
                            + f.getID() + ") is not a point but " + (g == null ? "empty" : ((Geometry) g).getGeometryType())
                            + "; only point observations are supported");
                }
                xs.add(number(swap ? p.getY() : p.getX()));
                ys.add(number(swap ? p.getX() : p.getY()));
                for (String a : attributes) {
                    values.get(a).add(text(f.getAttribute(a)));
                }
            }
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put(xName, xs.toArray(new String[0]));
        cols.put(yName, ys.toArray(new String[0]));
        values.forEach((k, v) -> cols.put(k, v.toArray(new String[0])));
        return new FeatureTable(cols, xName, yName, code, geographic);
    }

    static boolean isGeographic(String code) {
        try {
            return Crs.parse(code) instanceof org.opengis.referencing.crs.GeographicCRS;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String number(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "";
    }

    /** A cell as the processes read it. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof Float f) {
            return number(f);
        }
        if (v instanceof TemporalAccessor t) {
            return t.toString();
        }
        return v.toString();
    }
}
