package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.geo.Crs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.sqlite.SQLiteConfig;

/**
 * A point layer of a GeoPackage (OGC 12-128r18, an SQLite file) as a table: the attribute
 * columns as they are, the point geometry as {@code x}, {@code y} (projected CRS) or
 * {@code longitude}, {@code latitude} (geographic), and the CRS from the layer's spatial
 * reference ({@code gpkg_spatial_ref_sys}). The file is opened read-only through sqlite-jdbc;
 * geometries (GeoPackage header, then WKB) are decoded with JTS.
 */
public final class GeoPackageTables {
    /** The first bytes of every SQLite 3 file. */
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private GeoPackageTables() {}

    /** Whether {@code head} starts like an SQLite file. */
    public static boolean looksLike(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a point layer; {@code layer} null means the file's only feature layer.
     *
     * @throws DataException naming the file, the layer and the problem (no feature layer, several
     *     and none chosen, a geometry that is not a point)
     */
    public static ObservationTable read(Path file, String layer, String name, int maxRows) {
        if (!Files.isReadable(file)) {
            throw new DataException(name + ": no such file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            String table = layer(c, layer, name);
            String geomColumn;
            long srsId;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?")) {
                s.setString(1, table);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new DataException(name + ": layer '" + table + "' has no geometry column");
                    }
                    geomColumn = r.getString(1);
                    srsId = r.getLong(2);
                }
            }
            Optional<String> crs = crs(c, srsId, name);
            boolean geographic = crs.isEmpty() || Crs.isGeographic(crs.get());
            return new ObservationTable(rows(c, table, geomColumn, geographic, name, maxRows), crs,
                    "GeoPackage layer '" + table + "'" + crs.map(x -> " in " + x).orElse(""));
        } catch (SQLException e) {
            throw new DataException(name + ": cannot be read as a GeoPackage (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String layer(Connection c, String wanted, String name) throws SQLException {
        List<String> layers = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'"
                        + " ORDER BY table_name")) {
            while (r.next()) {
                layers.add(r.getString(1));
            }
        }
        if (wanted != null) {
            if (!layers.contains(wanted)) {
                throw new DataException(name + ": no feature layer '" + wanted + "' (layers: " + String.join(", ", layers) + ")");
            }
            return wanted;
        }
        if (layers.isEmpty()) {
            throw new DataException(name + ": the GeoPackage has no feature layer");
        }
        if (layers.size() > 1) {
            throw new DataException(name + ": the GeoPackage has " + layers.size() + " feature layers ("
                    + String.join(", ", layers) + "); name one with --layer");
        }
        return layers.get(0);
    }

    private static Optional<String> crs(Connection c, long srsId, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?")) {
            s.setLong(1, srsId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || srsId <= 0) {
                    // -1 and 0: "undefined Cartesian" and "undefined geographic" systems
                    return Optional.empty();
                }
                String org = r.getString(1) == null ? "" : r.getString(1).trim().toUpperCase(Locale.ROOT);
                // another authority's code leaves the CRS to the user (--crs, the crs input)
                return org.equals("EPSG") ? Optional.of("EPSG:" + r.getLong(2)) : Optional.empty();
            }
        }
    }

    private static DataTable rows(Connection c, String table, String geomColumn, boolean geographic, String name,
            int maxRows) throws SQLException {
        String xName = geographic ? "longitude" : "x";
        String yName = geographic ? "latitude" : "y";
        Map<String, List<String>> cols = new LinkedHashMap<>();
        cols.put(xName, new ArrayList<>());
        cols.put(yName, new ArrayList<>());
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(120);
            ResultSet r = s.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"");
            ResultSetMetaData md = r.getMetaData();
            List<Integer> attributes = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String col = md.getColumnName(i);
                if (!col.equalsIgnoreCase(geomColumn) && !col.equalsIgnoreCase("fid") && !cols.containsKey(col)) {
                    attributes.add(i);
                    cols.put(col, new ArrayList<>());
                }
            }
            int geomIndex = r.findColumn(geomColumn);
            WKBReader wkb = new WKBReader();
            int row = 0;
            while (r.next()) {
                row++;
                if (row > maxRows) {
                    break; // the caller refuses a table over its limit
                }
                double[] xy = point(r.getBytes(geomIndex), wkb, name, row);
                cols.get(xName).add(Double.toString(xy[0]));
                cols.get(yName).add(Double.toString(xy[1]));
                for (int i : attributes) {
                    String v = r.getString(i);
                    cols.get(md.getColumnName(i)).add(v == null ? "" : v);
                }
            }
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        cols.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
        // the table's "line" numbers are the features' rows
        return new DataTable(name + " layer " + table, 1, out);
    }

    /** The point of a GeoPackage geometry blob: "GP", version, flags, srs_id, envelope, WKB. */
    static double[] point(byte[] blob, WKBReader wkb, String name, int row) {
        if (blob == null || blob.length < 8 || blob[0] != 'G' || blob[1] != 'P') {
            throw new DataException(name + ": feature " + row + ": no GeoPackage geometry");
        }
        int flags = blob[3] & 0xFF;
        int envelope = switch ((flags >> 1) & 0x7) {
            case 0 -> 0;
            case 1 -> 32;
            case 2, 3 -> 48;
            case 4 -> 64;
            default -> throw new DataException(name + ": feature " + row + ": invalid geometry envelope flag");
        };
        if ((flags & 0x10) != 0) {
            throw new DataException(name + ": feature " + row + ": empty geometry");
        }
        int offset = 8 + envelope;
        if (blob.length < offset + 5) {
            throw new DataException(name + ": feature " + row + ": the geometry is cut short");
        }
        Geometry g;
        try {
            g = wkb.read(Arrays.copyOfRange(blob, offset, blob.length));
        } catch (ParseException e) {
            throw new DataException(name + ": feature " + row + ": invalid geometry (" + e.getMessage() + ")");
        }
        if (!(g instanceof Point p) || p.isEmpty()) {
            throw new DataException(name + ": feature " + row + ": only point geometries are read, got " + g.getGeometryType());
        }
        return new double[] {p.getX(), p.getY()};
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
