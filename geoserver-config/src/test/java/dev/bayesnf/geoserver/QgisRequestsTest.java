package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The example request bodies of the two QGIS WPS plugins (qgis/requests/*.xml) posted to an
 * in-process service: synchronous Execute with outputs as references (Sourcepole's WPS Client)
 * and without a response form (the OWSLib-based WPS plugin), base64 and inline documents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class QgisRequestsTest {
    static final String WPS = "http://www.opengis.net/wps/1.0.0";
    static final String OWS = "http://www.opengis.net/ows/1.1";
    static final Path REQUESTS = Path.of("qgis", "requests");

    @TempDir
    static Path dir;
    static BayesNFService service;
    static HttpClient http;
    static String model;

    @BeforeAll
    static void start() throws Exception {
        service = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    static Document post(String file) throws Exception {
        String body = Files.readString(REQUESTS.resolve(file), StandardCharsets.UTF_8);
        if (model != null) {
            body = body.replace("${MODEL}", model);
        }
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/wps"))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        Element root = d.getDocumentElement();
        assertEquals("ExecuteResponse", root.getLocalName(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(1, d.getElementsByTagNameNS(WPS, "ProcessSucceeded").getLength(),
                new String(r.body(), StandardCharsets.UTF_8));
        return d;
    }

    static Element output(Document d, String id) {
        NodeList outs = d.getElementsByTagNameNS(WPS, "Output");
        for (int i = 0; i < outs.getLength(); i++) {
            Element o = (Element) outs.item(i);
            if (o.getElementsByTagNameNS(OWS, "Identifier").item(0).getTextContent().trim().equals(id)) {
                return o;
            }
        }
        throw new AssertionError("no output " + id);
    }

    static byte[] download(Element reference) throws Exception {
        String href = reference.getAttribute("href");
        if (href.isEmpty()) {
            href = reference.getAttributeNS("http://www.w3.org/1999/xlink", "href");
        }
        assertTrue(href.startsWith("http://localhost:" + service.port() + "/"), "absolute, reachable href: " + href);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    @Order(1)
    void testWpsClientFitWithBase64CsvAndAReportByReference() throws Exception {
        Document d = post("wpsclient-fit-base64csv.xml");
        model = output(d, "model").getElementsByTagNameNS(WPS, "LiteralData").item(0).getTextContent().trim();
        assertTrue(model.startsWith("m-"), model);
        Element ref = (Element) output(d, "report").getElementsByTagNameNS(WPS, "Reference").item(0);
        assertNotNull(ref, "report given as a reference");
        assertEquals("application/json", ref.getAttribute("mimeType"));
        JsonNode report = new ObjectMapper().readTree(download(ref));
        assertEquals("wind", report.get("target").asText());
        assertEquals(2, report.get("ensemble").asInt());
    }

    @Test
    @Order(2)
    void testWpsClientForecastGeoTiffByReference() throws Exception {
        Document d = post("wpsclient-forecast-asreference.xml");
        Element ref = (Element) output(d, "result").getElementsByTagNameNS(WPS, "Reference").item(0);
        assertNotNull(ref);
        assertEquals("image/tiff", ref.getAttribute("mimeType"));
        Path tif = dir.resolve("downloaded.tif");
        Files.write(tif, download(ref));
        var product = dev.bayesnf.service.raster.GeoTiff.read(tif);
        assertEquals(50, product.grid().width());
        assertEquals(40, product.grid().height());
        assertEquals(-10.5, product.grid().minX(), 1e-9);
        assertEquals(55.5, product.grid().maxY(), 1e-9);
        assertEquals(java.util.List.of("1977-01-13", "1977-01-14"), product.times());
        assertEquals(8, product.bands().length);
    }

    @Test
    @Order(3)
    void testOwslibPredictWithInlineGeoJsonAnswersInline() throws Exception {
        Document d = post("owslib-predict-inline-geojson.xml");
        Element data = (Element) output(d, "result").getElementsByTagNameNS(WPS, "ComplexData").item(0);
        assertNotNull(data, "no ResponseForm: the result is inline");
        String csv = data.getTextContent().trim();
        assertTrue(csv.startsWith("longitude,latitude,datetime,mean,q0.025,q0.5,q0.975"), csv);
        assertEquals(4, csv.lines().count());
    }

    @Test
    @Order(4)
    void testOwslibVariogramWithBase64CsvAnswersInlineJson() throws Exception {
        Document d = post("owslib-variogram-base64csv.xml");
        Element data = (Element) output(d, "result").getElementsByTagNameNS(WPS, "ComplexData").item(0);
        assertNotNull(data);
        JsonNode v = new ObjectMapper().readTree(data.getTextContent());
        assertEquals("wind", v.get("target").asText());
        assertTrue(v.path("observations").path("temporal").size() > 0);
    }
}
