package dev.bayesnf.service.wms;

import static dev.bayesnf.service.wms.WmsFixtures.IRELAND;
import static dev.bayesnf.service.wms.WmsFixtures.PLAIN;
import static dev.bayesnf.service.wms.WmsFixtures.getMap;
import static dev.bayesnf.service.wms.WmsFixtures.mean;
import static dev.bayesnf.service.wms.WmsFixtures.quantile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

final class WmsFeatureInfoTest {
    private final WmsService wms = WmsFixtures.service();

    /** GetFeatureInfo over a 600 x 500 map of the grid (10 x 10 pixels per cell). */
    private static Kvp info(String format, int i, int j, String... more) {
        Map<String, String> m = new LinkedHashMap<>(getMap("REQUEST", "GetFeatureInfo", "WIDTH", "600", "HEIGHT", "500")
                .asMap());
        m.put("query_layers", IRELAND);
        m.put("info_format", format);
        m.put("i", Integer.toString(i));
        m.put("j", Integer.toString(j));
        m.put("feature_count", "1");
        for (int k = 0; k < more.length; k += 2) {
            m.put(more[k].toLowerCase(java.util.Locale.ROOT), more[k + 1]);
        }
        return Kvp.of(m);
    }

    private static String body(HttpReply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void testPlainTextHasTheExactCellValues() {
        // pixel (305, 127) lies in cell column 30, row 12
        HttpReply r = wms.handle(info("text/plain", 305, 127, "TIME", "2024-01-02"));
        assertEquals("text/plain; charset=UTF-8", r.contentType());
        String s = body(r);
        assertTrue(s.contains("time: 2024-01-02T00:00:00Z"), s);
        assertTrue(s.contains("cell: column 30, row 12"), s);
        assertTrue(s.contains("centre: x=-7.95, y=54.75 (EPSG:4326; east, north)"), s);
        assertTrue(s.contains("mean: " + mean(1, 30, 12) + "\n"), s);
        assertTrue(s.contains("q0.025: " + quantile(1, 30, 12, 0) + "\n"), s);
        assertTrue(s.contains("q0.5: " + quantile(1, 30, 12, 1) + "\n"), s);
        assertTrue(s.contains("q0.975: " + quantile(1, 30, 12, 2) + "\n"), s);
    }

    @Test
    void testGeoJson() throws Exception {
        HttpReply r = wms.handle(info("application/json", 305, 127));
        assertEquals("application/json", r.contentType());
        JsonNode fc = new ObjectMapper().readTree(r.body());
        assertEquals("FeatureCollection", fc.get("type").asText());
        JsonNode f = fc.get("features").get(0);
        assertEquals(-7.95, f.get("geometry").get("coordinates").get(0).asDouble(), 1e-12);
        assertEquals(54.75, f.get("geometry").get("coordinates").get(1).asDouble(), 1e-12);
        JsonNode p = f.get("properties");
        assertEquals(IRELAND, p.get("layer").asText());
        assertEquals("2024-01-01T00:00:00Z", p.get("time").asText());
        assertEquals(mean(0, 30, 12), p.get("mean").floatValue());
        assertEquals(quantile(0, 30, 12, 0), p.get("q0.025").floatValue());
        assertEquals(quantile(0, 30, 12, 2), p.get("q0.975").floatValue());
        assertEquals(30, p.get("column").asInt());
        assertEquals(12, p.get("row").asInt());
    }

    @Test
    void testXml() throws Exception {
        HttpReply r = wms.handle(info("text/xml", 305, 127));
        assertEquals("text/xml", r.contentType());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        Element cell = (Element) d.getElementsByTagName("Cell").item(0);
        assertEquals("30", cell.getAttribute("column"));
        assertEquals(Float.toString(mean(0, 30, 12)), cell.getElementsByTagName("Mean").item(0).getTextContent());
        NodeList q = cell.getElementsByTagName("Quantile");
        assertEquals(3, q.getLength());
        assertEquals("0.975", ((Element) q.item(2)).getAttribute("level"));
        assertEquals(Float.toString(quantile(0, 30, 12, 2)), q.item(2).getTextContent());
    }

    @Test
    void testHtml() {
        HttpReply r = wms.handle(info("text/html", 305, 127));
        assertEquals("text/html; charset=UTF-8", r.contentType());
        assertTrue(body(r).contains("<th>q0.975</th><td>" + quantile(0, 30, 12, 2) + "</td>"), body(r));
    }

    @Test
    void testNoDataIsAnAnswerNotAnError() throws Exception {
        // the NoData cell (0, 0) and a point outside the grid
        HttpReply nan = wms.handle(info("text/plain", 3, 3));
        assertTrue(body(nan).contains("no data at this point"), body(nan));
        HttpReply outside = wms.handle(info("text/plain", 5, 5, "BBOX", "56.5,-12,57,-11.5"));
        assertTrue(body(outside).contains("no data at this point"), body(outside));
        JsonNode fc = new ObjectMapper().readTree(wms.handle(info("application/json", 5, 5, "BBOX",
                "56.5,-12,57,-11.5")).body());
        assertEquals(0, fc.get("features").size());
        assertTrue(body(wms.handle(info("text/xml", 3, 3))).contains("<NoData"));
    }

    @Test
    void testSeveralQueryLayersAndWebMercator() {
        double[] c = {-11, 51, -5, 56};
        dev.bayesnf.service.geo.Crs.transform("CRS:84", "EPSG:3857", c, 2);
        Kvp k = info("text/plain", 0, 0, "LAYERS", IRELAND + "," + PLAIN, "QUERY_LAYERS", PLAIN + "," + IRELAND,
                "CRS", "EPSG:3857", "BBOX", c[0] + "," + c[1] + "," + c[2] + "," + c[3], "WIDTH", "600", "HEIGHT",
                "500", "I", "599", "J", "499");
        String s = body(wms.handle(k));
        assertTrue(s.indexOf("Layer '" + PLAIN + "'") < s.indexOf("Layer '" + IRELAND + "'"), s);
        assertTrue(s.contains("cell: column 59, row 49"), s);
        assertTrue(s.contains("mean: " + mean(0, 59, 49)), s);
    }
}
