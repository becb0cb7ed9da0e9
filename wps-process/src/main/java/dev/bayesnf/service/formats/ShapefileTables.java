package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.geo.Crs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A point shapefile (ESRI, 1998: {@code .shp} geometry, {@code .dbf} attributes, {@code .prj}
 * CRS, {@code .cpg} encoding), loose or zipped, as a table: the attributes as columns (dates as
 * ISO {@code yyyy-mm-dd}), the points as {@code x}, {@code y} (projected CRS) or
 * {@code longitude}, {@code latitude} (geographic), the CRS looked up in the EPSG dataset from the
 * {@code .prj}'s WKT.
 *
 * <p>Written here rather than taken from a library: no shapefile reader with a licence the
 * GeoServer plugin can ship resolves from Maven Central (GeoTools' is LGPL and hosted elsewhere,
 * Apache SIS does not publish its shapefile module), and points need only the simple parts of the
 * format: point records (types 1, 11, 21) and dBASE III fields.
 */
public final class ShapefileTables {
    /** Most bytes read from one member of a zipped shapefile: a bound against zip bombs. */
    public static final long MAX_MEMBER_BYTES = 1L << 30;

    private ShapefileTables() {}

    /** Whether {@code head} starts like a zip archive. */
    public static boolean looksLikeZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** Reads a loose {@code .shp} with its {@code .dbf} (and {@code .prj}, {@code .cpg}) beside it. */
    public static ObservationTable readShp(Path shp, String name, int maxRows) {
        String base = shp.getFileName().toString();
        if (!base.toLowerCase(Locale.ROOT).endsWith(".shp")) {
            throw new DataException(name + ": a shapefile is read from its .shp (with the .dbf beside it)");
        }
        base = base.substring(0, base.length() - 4);
        Path dir = shp.toAbsolutePath().getParent();
        Map<String, byte[]> parts = new LinkedHashMap<>();
        try {
            parts.put("shp", Files.readAllBytes(shp));
            for (String ext : List.of("dbf", "prj", "cpg")) {
                Path p = sibling(dir, base, ext);
                if (p != null) {
                    parts.put(ext, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new DataException(name + ": cannot read (" + e.getMessage() + ")");
        }
        return read(parts, name, maxRows);
    }

    /**
     * Reads the one shapefile of a zip archive. What is read is bounded by what {@code maxRows}
     * points can need (a .shp record of at most 36 bytes of content, a .dbf record of at most
     * 64 KiB; .prj and .cpg 64 KiB), checked while reading, so a small archive that expands to
     * gigabytes is refused early.
     */
    public static ObservationTable readZip(InputStream zip, String name, int maxRows) {
        long rows = Math.max(1, maxRows);
        Map<String, Long> budget = Map.of("shp", 100 + rows * 44, "dbf", 65_536 + rows * 65_536, "prj", 65_536L,
                "cpg", 65_536L);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        String base = null;
        try (ZipInputStream in = new ZipInputStream(zip, StandardCharsets.UTF_8)) {
            ZipEntry e;
            while ((e = nextEntry(in, name)) != null) {
                String entry = e.getName();
                if (e.isDirectory() || entry.startsWith("__MACOSX/")) {
                    continue;
                }
                int dot = entry.lastIndexOf('.');
                String ext = dot < 0 ? "" : entry.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (!budget.containsKey(ext)) {
                    continue;
                }
                String b = entry.substring(0, dot).toLowerCase(Locale.ROOT);
                if (base == null) {
                    base = b;
                } else if (!base.equals(b)) {
                    throw new DataException(name + ": expected one shapefile in the zip archive, found " + base + " and "
                            + b);
                }
                long limit = Math.min(budget.get(ext), MAX_MEMBER_BYTES);
                byte[] data = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
                if (data.length > limit) {
                    throw new DataException(name + ": " + entry + " is larger than " + limit + " bytes, more than "
                            + maxRows + " points can need");
                }
                parts.put(ext, data);
            }
        } catch (IOException e) {
            throw new DataException(name + ": cannot be read as a zip archive (" + e.getMessage() + ")");
        }
        if (!parts.containsKey("shp")) {
            throw new DataException(name + ": expected one shapefile (.shp with its .dbf) in the zip archive, found none");
        }
        return read(parts, name, maxRows);
    }

    private static ZipEntry nextEntry(ZipInputStream in, String name) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException e) {
            // an entry name that is not UTF-8 (a Windows archive with accented names)
            throw new DataException(name + ": the zip archive's entry names are not UTF-8; re-create it with"
                    + " UTF-8 names (e.g. zip -r on Linux or macOS, 7-Zip with cu=on)");
        }
    }

    private static ObservationTable read(Map<String, byte[]> parts, String name, int maxRows) {
        if (!parts.containsKey("dbf")) {
            throw new DataException(name + ": the shapefile has no .dbf (attribute table) beside its .shp");
        }
        List<double[]> points = points(parts.get("shp"), name, maxRows);
        Charset cs = parts.containsKey("cpg") ? cpg(new String(parts.get("cpg"), StandardCharsets.US_ASCII).trim(), name)
                : null;
        Attributes attributes = dbf(parts.get("dbf"), cs, name, maxRows);
        if (attributes.deleted().length != points.size()) {
            throw new DataException(name + ": the .dbf has " + attributes.deleted().length + " records, the .shp "
                    + points.size());
        }
        Optional<String> crs = Optional.empty();
        String note = "";
        if (parts.containsKey("prj")) {
            // a .prj that matches no EPSG system leaves the CRS to the user (--crs, the crs input)
            crs = Crs.fromWkt(new String(parts.get("prj"), StandardCharsets.UTF_8).trim());
            note = crs.isEmpty() ? ", its .prj matching no EPSG system" : "";
        }
        boolean geographic = crs.isEmpty() || Crs.isGeographic(crs.get());
        String xName = geographic ? "longitude" : "x";
        String yName = geographic ? "latitude" : "y";
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < points.size(); r++) {
            if (!attributes.deleted()[r]) {
                kept.add(r);
            }
        }
        int n = kept.size();
        Map<String, String[]> cols = new LinkedHashMap<>();
        String[] xs = new String[n];
        String[] ys = new String[n];
        for (int i = 0; i < n; i++) {
            double[] pt = points.get(kept.get(i));
            // a null shape has no coordinates: missing values, named or left out like any other
            xs[i] = pt == null ? "" : Double.toString(pt[0]);
            ys[i] = pt == null ? "" : Double.toString(pt[1]);
        }
        cols.put(xName, xs);
        cols.put(yName, ys);
        attributes.columns().forEach((k, v) -> {
            if (!cols.containsKey(k)) {
                String[] c = new String[n];
                for (int i = 0; i < n; i++) {
                    c[i] = v[kept.get(i)];
                }
                cols.put(k, c);
            }
        });
        // the table's "line" numbers are the records' numbers
        return new ObservationTable(new DataTable(name, 1, cols), crs,
                "shapefile" + crs.map(x -> " in " + x).orElse("") + note);
    }

    /** The points of the .shp's records, in order; null for a null shape. */
    static List<double[]> points(byte[] shp, String name, int maxRows) {
        ByteBuffer b = ByteBuffer.wrap(shp);
        if (shp.length < 100 || b.order(ByteOrder.BIG_ENDIAN).getInt(0) != 9994) {
            throw new DataException(name + ": not a shapefile (.shp header missing)");
        }
        int type = b.order(ByteOrder.LITTLE_ENDIAN).getInt(32);
        if (type != 1 && type != 11 && type != 21) {
            throw new DataException(name + ": the shapefile holds " + shapeName(type) + " geometries; only points are read");
        }
        List<double[]> out = new ArrayList<>();
        int pos = 100;
        while (pos + 8 <= shp.length) {
            int number = b.order(ByteOrder.BIG_ENDIAN).getInt(pos);
            int words = b.getInt(pos + 4);
            int content = pos + 8;
            if (words < 2 || content + 2L * words > shp.length) {
                throw new DataException(name + ": record " + number + " is cut short (is this a .shx?)");
            }
            if (out.size() >= maxRows) {
                throw new DataException(name + ": more than " + maxRows + " records");
            }
            int recType = b.order(ByteOrder.LITTLE_ENDIAN).getInt(content);
            if (recType == 0) {
                out.add(null);
            } else if (recType != type || words < 10) {
                throw new DataException(name + ": record " + number + " is a " + shapeName(recType) + ", not a point");
            } else {
                out.add(new double[] {b.getDouble(content + 4), b.getDouble(content + 12)});
            }
            pos = content + 2 * words;
        }
        return out;
    }

    /**
     * A .dbf's fields and every record's values, with its deletion marks.
     *
     * @param columns field name to every record's value (deleted records included)
     * @param deleted whether each record is marked deleted
     */
    record Attributes(Map<String, String[]> columns, boolean[] deleted) {}

    /** The dBASE III attribute table. */
    static Attributes dbf(byte[] dbf, Charset declared, String name, int maxRows) {
        if (dbf.length < 33) {
            throw new DataException(name + ": the .dbf is cut short");
        }
        ByteBuffer b = ByteBuffer.wrap(dbf).order(ByteOrder.LITTLE_ENDIAN);
        int records = b.getInt(4);
        int headerLength = b.getShort(8) & 0xFFFF;
        int recordLength = b.getShort(10) & 0xFFFF;
        if (records < 0 || records > maxRows) {
            throw new DataException(name + ": the .dbf announces " + records + " records; at most " + maxRows + " are read");
        }
        if (headerLength > dbf.length || recordLength < 1 || (long) headerLength + (long) records * recordLength > dbf.length) {
            throw new DataException(name + ": the .dbf is cut short (" + records + " records announced)");
        }
        List<String> names = new ArrayList<>();
        List<Character> types = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        int total = 1;
        for (int p = 32; p + 32 <= headerLength && dbf[p] != 0x0D; p += 32) {
            int end = p;
            while (end < p + 11 && dbf[end] != 0) {
                end++;
            }
            names.add(new String(dbf, p, end - p, StandardCharsets.ISO_8859_1).trim());
            types.add((char) dbf[p + 11]);
            widths.add(dbf[p + 16] & 0xFF);
            total += dbf[p + 16] & 0xFF;
        }
        if (total > recordLength) {
            throw new DataException(name + ": the .dbf's fields (" + total + " bytes) do not fit its records ("
                    + recordLength + " bytes)");
        }
        Charset cs = declared != null ? declared : utf8OrWindows(dbf, headerLength);
        Map<String, String[]> cols = new LinkedHashMap<>();
        List<String[]> values = new ArrayList<>();
        for (String n : names) {
            String[] v = new String[records];
            values.add(v);
            cols.put(n, v);
        }
        boolean[] deleted = new boolean[records];
        for (int r = 0; r < records; r++) {
            int p = headerLength + r * recordLength;
            deleted[r] = dbf[p] == '*';
            int q = p + 1;
            for (int f = 0; f < names.size(); f++) {
                String raw = new String(dbf, q, widths.get(f), cs).trim();
                values.get(f)[r] = value(types.get(f), raw);
                q += widths.get(f);
            }
        }
        return new Attributes(cols, deleted);
    }

    private static String value(char type, String raw) {
        switch (type) {
            case 'D':
                return raw.length() == 8 && raw.chars().allMatch(Character::isDigit)
                        ? raw.substring(0, 4) + "-" + raw.substring(4, 6) + "-" + raw.substring(6) : "";
            case 'N', 'F':
                return raw.startsWith("*") ? "" : raw; // '*' fills a value too wide for its field
            default:
                return raw;
        }
    }

    private static Charset utf8OrWindows(byte[] dbf, int from) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(dbf, from, dbf.length - from));
            return StandardCharsets.UTF_8;
        } catch (java.nio.charset.CharacterCodingException e) {
            return Charset.forName("windows-1252");
        }
    }

    private static Charset cpg(String text, String name) {
        String t = text.toUpperCase(Locale.ROOT);
        try {
            if (t.matches("\\d+")) {
                return Charset.forName(t.startsWith("8859") ? "ISO-" + t.substring(0, 4) + "-" + t.substring(4) : "windows-" + t);
            }
            return Charset.forName(t);
        } catch (IllegalArgumentException e) {
            throw new DataException(name + ": the .cpg names an unknown encoding '" + text + "'");
        }
    }

    private static Path sibling(Path dir, String base, String ext) {
        for (String e : List.of(ext, ext.toUpperCase(Locale.ROOT))) {
            Path p = dir.resolve(base + "." + e);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String shapeName(int type) {
        return switch (type) {
            case 0 -> "null";
            case 1, 11, 21 -> "point";
            case 3, 13, 23 -> "polyline";
            case 5, 15, 25 -> "polygon";
            case 8, 18, 28 -> "multipoint";
            case 31 -> "multipatch";
            default -> "type-" + type;
        };
    }

    /** Reads a zipped shapefile held in memory. */
    public static ObservationTable readZip(byte[] zip, String name, int maxRows) {
        return readZip(new ByteArrayInputStream(zip), name, maxRows);
    }
}
