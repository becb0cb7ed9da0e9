package dev.bayesnf.service.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.geo.Crs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A GeoJSON FeatureCollection of points as a table: properties become columns, the point's
 * coordinates the columns {@code longitude}, {@code latitude} (RFC 7946: WGS 84) or, when the
 * document names a projected CRS in its {@code crs} member (GeoJSON 2008, as {@code ogr2ogr}
 * writes it: {@code "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}}),
 * the columns {@code x}, {@code y} in that CRS.
 */
public final class GeoJsonTables {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GeoJsonTables() {}

    /**
     * Parses the document; {@code name} is used in messages.
     *
     * @throws DataException naming the feature and the problem
     */
    public static ObservationTable read(String text, String name) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            throw new DataException(name + ": malformed JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !"FeatureCollection".equals(root.path("type").asText())) {
            throw new DataException(name + ": expected a GeoJSON FeatureCollection");
        }
        Optional<String> crs = crs(root, name);
        boolean geographic = crs.isEmpty() || Crs.isGeographic(crs.get());
        String xName = geographic ? "longitude" : "x";
        String yName = geographic ? "latitude" : "y";
        // a set keeps the property names in order without a quadratic search; their number is
        // bounded as for CSV, before a column of every feature is made for each
        Set<String> names = new LinkedHashSet<>();
        names.add(xName);
        names.add(yName);
        List<Map<String, String>> rows = new ArrayList<>();
        int i = 0;
        for (JsonNode f : root.path("features")) {
            i++;
            JsonNode g = f.path("geometry");
            if (!"Point".equals(g.path("type").asText())) {
                throw new DataException(name + ": feature " + i + ": only Point geometries are supported, got '"
                        + g.path("type").asText() + "'");
            }
            JsonNode c = g.path("coordinates");
            if (c.size() < 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
                throw new DataException(name + ": feature " + i + ": point coordinates must be two numbers");
            }
            Map<String, String> row = new LinkedHashMap<>();
            row.put(xName, c.get(0).asText());
            row.put(yName, c.get(1).asText());
            for (Map.Entry<String, JsonNode> e : f.path("properties").properties()) {
                if (e.getKey().equals(xName) || e.getKey().equals(yName)) {
                    continue;
                }
                if (names.add(e.getKey()) && names.size() > DelimitedText.MAX_COLUMNS) {
                    throw new DataException(name + ": feature " + i + ": more than " + DelimitedText.MAX_COLUMNS
                            + " distinct properties; at most " + DelimitedText.MAX_COLUMNS + " columns are read");
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
        return new ObservationTable(new DataTable(name, 1, cols), crs,
                "GeoJSON" + crs.map(c -> " in " + c).orElse(""));
    }

    /** The {@code crs} member's CRS, CRS84 (longitude, latitude) read as no CRS named. */
    private static Optional<String> crs(JsonNode root, String name) {
        JsonNode member = root.path("crs");
        if (member.isMissingNode() || member.isNull()) {
            return Optional.empty();
        }
        String code = member.path("properties").path("name").asText("");
        if (code.isEmpty()) {
            throw new DataException(name + ": the 'crs' member has no properties.name (expected e.g."
                    + " \"urn:ogc:def:crs:EPSG::28992\"); linked CRSs are not read");
        }
        String n = Crs.normalize(code);
        if (!Crs.isKnown(n)) {
            // a code the EPSG dataset does not know leaves the CRS to the user (--crs, the crs input)
            return Optional.empty();
        }
        return n.equals("CRS:84") ? Optional.empty() : Optional.of(n);
    }
}
