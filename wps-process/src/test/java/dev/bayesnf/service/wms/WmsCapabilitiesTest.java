package dev.bayesnf.service.wms;

import static dev.bayesnf.service.wms.WmsFixtures.BASE;
import static dev.bayesnf.service.wms.WmsFixtures.IRELAND;
import static dev.bayesnf.service.wms.WmsFixtures.PLAIN;
import static dev.bayesnf.service.wms.WmsFixtures.UTM;
import static dev.bayesnf.service.wms.WmsFixtures.kvp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.http.HttpReply;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

final class WmsCapabilitiesTest {
    private static HttpReply reply;
    private static Document doc;
    private static XPath xpath;

    @BeforeAll
    static void fetch() throws Exception {
        reply = WmsFixtures.service().handle(kvp("service", "WMS", "request", "GetCapabilities"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(reply.body()));
        xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                switch (prefix) {
                    case "wms":
                        return CapabilitiesWriter.WMS;
                    case "xlink":
                        return CapabilitiesWriter.XLINK;
                    case "sld":
                        return CapabilitiesWriter.SLD;
                    default:
                        return XMLConstants.NULL_NS_URI;
                }
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
    }

    private static String text(String path) throws Exception {
        return xpath.evaluate(path, doc);
    }

    private static List<String> texts(String path) throws Exception {
        NodeList n = (NodeList) xpath.evaluate(path, doc, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent());
        }
        return out;
    }

    private static String layer(String name) {
        return "/wms:WMS_Capabilities/wms:Capability/wms:Layer/wms:Layer[wms:Name='" + name + "']";
    }

    @Test
    void testValidAgainstTheOfficialSchema() throws Exception {
        assertEquals(200, reply.status());
        assertEquals("text/xml", reply.contentType());
        WmsFixtures.capabilitiesSchema().newValidator()
                .validate(new StreamSource(new ByteArrayInputStream(reply.body())));
    }

    @Test
    void testTheSchemaCheckIsNotVacuous() {
        String broken = new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("<Name>WMS</Name>", "<Name>WFS</Name>");
        org.junit.jupiter.api.Assertions.assertThrows(org.xml.sax.SAXException.class,
                () -> WmsFixtures.capabilitiesSchema().newValidator().validate(
                        new StreamSource(new java.io.StringReader(broken))));
    }

    @Test
    void testServiceAndOperations() throws Exception {
        assertEquals("1.3.0", text("/wms:WMS_Capabilities/@version"));
        assertEquals("WMS", text("//wms:Service/wms:Name"));
        assertEquals(BASE + "/wms", text("//wms:Service/wms:OnlineResource/@xlink:href"));
        assertEquals("none", text("//wms:Service/wms:Fees"));
        assertEquals(Integer.toString(WmsService.MAX_SIZE), text("//wms:Service/wms:MaxWidth"));
        assertEquals(Integer.toString(WmsService.MAX_SIZE), text("//wms:Service/wms:MaxHeight"));
        assertEquals(List.of("image/png"), texts("//wms:Request/wms:GetMap/wms:Format"));
        assertEquals(List.of("text/plain", "application/json", "text/xml", "text/html"),
                texts("//wms:Request/wms:GetFeatureInfo/wms:Format"));
        assertEquals(List.of("image/png"), texts("//wms:Request/sld:GetLegendGraphic/wms:Format"));
        for (String href : texts("//wms:Request//wms:OnlineResource/@xlink:href")) {
            assertEquals(BASE + "/wms?", href);
        }
        assertEquals(List.of("XML", "INIMAGE", "BLANK"), texts("//wms:Capability/wms:Exception/wms:Format"));
    }

    @Test
    void testRootLayerListsCrs() throws Exception {
        assertEquals(List.of("EPSG:4326", "CRS:84", "EPSG:3857", "EPSG:32629"),
                texts("/wms:WMS_Capabilities/wms:Capability/wms:Layer/wms:CRS"));
        assertEquals(List.of(IRELAND, PLAIN, UTM), texts("//wms:Layer/wms:Layer/wms:Name"));
    }

    @Test
    void testBoundingBoxesFollowTheAxisOrderOfTheirCrs() throws Exception {
        String l = layer(IRELAND);
        assertEquals("1", text(l + "/@queryable"));
        assertEquals("-11", text(l + "/wms:EX_GeographicBoundingBox/wms:westBoundLongitude"));
        assertEquals("-5", text(l + "/wms:EX_GeographicBoundingBox/wms:eastBoundLongitude"));
        assertEquals("51", text(l + "/wms:EX_GeographicBoundingBox/wms:southBoundLatitude"));
        assertEquals("56", text(l + "/wms:EX_GeographicBoundingBox/wms:northBoundLatitude"));
        String epsg4326 = l + "/wms:BoundingBox[@CRS='EPSG:4326']";
        assertEquals("51", text(epsg4326 + "/@minx"), "EPSG:4326 lists latitude first in WMS 1.3.0");
        assertEquals("-11", text(epsg4326 + "/@miny"));
        assertEquals("56", text(epsg4326 + "/@maxx"));
        assertEquals("-5", text(epsg4326 + "/@maxy"));
        String crs84 = l + "/wms:BoundingBox[@CRS='CRS:84']";
        assertEquals("-11", text(crs84 + "/@minx"));
        assertEquals("51", text(crs84 + "/@miny"));
        String merc = l + "/wms:BoundingBox[@CRS='EPSG:3857']";
        assertEquals(-1224514.398, Double.parseDouble(text(merc + "/@minx")), 0.01);
        assertEquals(6621293.723, Double.parseDouble(text(merc + "/@miny")), 0.01);
    }

    @Test
    void testUtmLayerGeographicBoxIsDensified() throws Exception {
        String l = layer(UTM);
        assertEquals("400000", text(l + "/wms:BoundingBox[@CRS='EPSG:32629']/@minx"));
        double west = Double.parseDouble(text(l + "/wms:EX_GeographicBoundingBox/wms:westBoundLongitude"));
        double north = Double.parseDouble(text(l + "/wms:EX_GeographicBoundingBox/wms:northBoundLatitude"));
        // the western edge bows outwards: the minimum longitude is at the north-west corner
        assertTrue(west < -10.5 && west > -10.7, "west " + west);
        assertTrue(north > 54.1 && north < 54.2, "north " + north);
    }

    @Test
    void testTimeDimension() throws Exception {
        Element d = (Element) xpath.evaluate(layer(IRELAND) + "/wms:Dimension", doc, XPathConstants.NODE);
        assertEquals("time", d.getAttribute("name"));
        assertEquals("ISO8601", d.getAttribute("units"));
        assertEquals("2024-01-01T00:00:00Z", d.getAttribute("default"));
        assertEquals("2024-01-01T00:00:00Z,2024-01-02T00:00:00Z", d.getTextContent());
        assertEquals("", text(layer(PLAIN) + "/wms:Dimension"), "a purely spatial layer has no time dimension");
    }

    @Test
    void testStylesWithLegends() throws Exception {
        assertEquals(List.of("mean", "uncertainty"), texts(layer(IRELAND) + "/wms:Style/wms:Name"));
        assertEquals(List.of("mean"), texts(layer(PLAIN) + "/wms:Style/wms:Name"),
                "no uncertainty style without two quantile levels");
        String href = text(layer(IRELAND) + "/wms:Style[wms:Name='uncertainty']/wms:LegendURL/wms:OnlineResource/@xlink:href");
        assertEquals(BASE + "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image%2Fpng"
                + "&LAYER=bayesnf%3Aireland&STYLE=uncertainty", href);
        assertTrue(text(layer(IRELAND) + "/wms:Style[wms:Name='uncertainty']/wms:Abstract").contains("95%"));
    }

    @Test
    void testEmptyCatalogStillValid() throws Exception {
        HttpReply r = new WmsService(new InMemoryLayerCatalog(), "https://x.example")
                .handle(kvp("SERVICE", "WMS", "REQUEST", "GetCapabilities", "VERSION", "1.1.1"));
        WmsFixtures.capabilitiesSchema().newValidator().validate(new StreamSource(new ByteArrayInputStream(r.body())));
        assertTrue(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("version=\"1.3.0\""));
    }
}
