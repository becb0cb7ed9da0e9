package dev.bayesnf.service.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Observation documents as tables: CSV with a header, or a GeoJSON FeatureCollection of points
 * whose properties become columns and whose coordinates become the columns {@code longitude} and
 * {@code latitude} (RFC 7946: WGS 84 longitude, latitude).
 */
public final class DataDocuments {
    /** Media types accepted for observation inputs. */
    public static final Format CSV = Format.text("text/csv", "csv");
    public static final Format GEOJSON = Format.text("application/geo+json", "geojson");
    public static final Format JSON = Format.text("application/json", "json");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DataDocuments() {}

    /**
     * The first coordinate column pair the table has: longitude/latitude, lon/lat or x/y (the
     * GeoJSON reader names point coordinates longitude, latitude).
     */
    public static java.util.Optional<List<String>> coordinateColumns(DataTable table) {
        for (String[] pair : new String[][] {{"longitude", "latitude"}, {"lon", "lat"}, {"x", "y"}}) {
            if (table.has(pair[0]) && table.has(pair[1])) {
                return java.util.Optional.of(List.of(pair[0], pair[1]));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Parses a CSV or GeoJSON document (decided by the media type, or by the first character
     * when none is given).
     *
     * @throws ProcessException naming the input and the problem, with row numbers for CSV
     */
    public static DataTable table(String input, InputValue.Complex doc, int maxRows) {
        String text = new String(doc.data(), StandardCharsets.UTF_8);
        String mime = doc.mimeType() == null ? "" : doc.mimeType().toLowerCase(Locale.ROOT);
        boolean json = mime.contains("json") || (mime.isEmpty() && text.stripLeading().startsWith("{"));
        DataTable t;
        try {
            t = json ? geoJson(input, text) : CsvTables.read(new InputStreamReader(
                    new ByteArrayInputStream(doc.data()), StandardCharsets.UTF_8), input);
        } catch (DataException e) {
            throw ProcessException.invalid(input, e.getMessage());
        }
        if (t.rows() > maxRows) {
            throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, input, "input '" + input
                    + "' has " + t.rows() + " rows; this service accepts at most " + maxRows);
        }
        if (t.rows() == 0) {
            throw ProcessException.invalid(input, "input '" + input + "' has no data rows");
        }
        return t;
    }

    private static DataTable geoJson(String input, String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new DataException(input + ": malformed JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !"FeatureCollection".equals(root.path("type").asText())) {
            throw new DataException(input + ": expected a GeoJSON FeatureCollection");
        }
        JsonNode features = root.path("features");
        // a set keeps the property names in order without a quadratic search; their number is
        // bounded as for CSV, before a column of every feature is made for each
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add("longitude");
        names.add("latitude");
        List<Map<String, String>> rows = new ArrayList<>();
        int i = 0;
        for (JsonNode f : features) {
            i++;
            JsonNode g = f.path("geometry");
            if (!"Point".equals(g.path("type").asText())) {
                throw new DataException(input + ": feature " + i + ": only Point geometries are supported, got '"
                        + g.path("type").asText() + "'");
            }
            JsonNode c = g.path("coordinates");
            if (c.size() < 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
                throw new DataException(input + ": feature " + i + ": point coordinates must be two numbers");
            }
            Map<String, String> row = new LinkedHashMap<>();
            row.put("longitude", c.get(0).asText());
            row.put("latitude", c.get(1).asText());
            for (Map.Entry<String, JsonNode> e : f.path("properties").properties()) {
                if (e.getKey().equals("longitude") || e.getKey().equals("latitude")) {
                    continue;
                }
                if (names.add(e.getKey()) && names.size() > CsvTables.MAX_COLUMNS) {
                    throw new DataException(input + ": feature " + i + ": more than " + CsvTables.MAX_COLUMNS
                            + " distinct properties; at most " + CsvTables.MAX_COLUMNS + " columns are read");
                }
                JsonNode v = e.getValue();
                row.put(e.getKey(), v.isNull() ? "" : v.asText());
            }
            rows.add(row);
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        for (String n : names) {
            String[] v = new String[rows.size()];
            for (int r = 0; r < v.length; r++) {
                v[r] = rows.get(r).getOrDefault(n, "");
            }
            cols.put(n, v);
        }
        return new DataTable(input, 1, cols);
    }
}
