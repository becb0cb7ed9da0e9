package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.layers.LayerCatalog;
import static dev.bayesnf.service.wms.WmsFixtures.IRELAND;
import static dev.bayesnf.service.wms.WmsFixtures.PLAIN;
import static dev.bayesnf.service.wms.WmsFixtures.getMap;
import static dev.bayesnf.service.wms.WmsFixtures.kvp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.raster.RasterProduct;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/** Every refusal is a valid ServiceExceptionReport with the right code, locator and a message naming the value. */
final class WmsErrorsTest {
    private static Validator validator;
    private final WmsService wms = WmsFixtures.service();

    @BeforeAll
    static void schema() throws Exception {
        validator = WmsFixtures.exceptionsSchema().newValidator();
    }

    private static Kvp featureInfo(String... overrides) {
        Map<String, String> m = new LinkedHashMap<>(getMap("REQUEST", "GetFeatureInfo").asMap());
        m.put("query_layers", IRELAND);
        m.put("info_format", "text/plain");
        m.put("i", "10");
        m.put("j", "10");
        for (int k = 0; k < overrides.length; k += 2) {
            String key = overrides[k].toLowerCase(java.util.Locale.ROOT);
            if (overrides[k + 1] == null) {
                m.remove(key);
            } else {
                m.put(key, overrides[k + 1]);
            }
        }
        return Kvp.of(m);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // code, locator, text the message must contain, request
                Arguments.of("InvalidFormat", "FORMAT", "image/jpeg", getMap("FORMAT", "image/jpeg")),
                Arguments.of("InvalidFormat", "INFO_FORMAT", "application/pdf",
                        featureInfo("INFO_FORMAT", "application/pdf")),
                Arguments.of("InvalidFormat", "FORMAT", "image/gif",
                        kvp("REQUEST", "GetLegendGraphic", "LAYER", IRELAND, "FORMAT", "image/gif")),
                Arguments.of("InvalidCRS", "CRS", "EPSG:99999", getMap("CRS", "EPSG:99999")),
                Arguments.of("InvalidCRS", "CRS", "bogus", getMap("CRS", "bogus")),
                Arguments.of("LayerNotDefined", "LAYERS", "nope", getMap("LAYERS", "nope")),
                Arguments.of("LayerNotDefined", "LAYERS", "empty layer name", getMap("LAYERS", IRELAND + ",")),
                Arguments.of("LayerNotDefined", "LAYER", "nope", kvp("REQUEST", "GetLegendGraphic", "LAYER", "nope")),
                Arguments.of("LayerNotDefined", "QUERY_LAYERS", "nope", featureInfo("QUERY_LAYERS", "nope")),
                Arguments.of("StyleNotDefined", "STYLES", "fancy", getMap("STYLES", "fancy")),
                Arguments.of("StyleNotDefined", "STYLES", "uncertainty",
                        getMap("LAYERS", PLAIN, "STYLES", "uncertainty")),
                Arguments.of("StyleNotDefined", "STYLES", "2 styles for 1 layers", getMap("STYLES", "mean,mean")),
                Arguments.of("StyleNotDefined", "STYLE", "uncertainty",
                        kvp("REQUEST", "GetLegendGraphic", "LAYER", PLAIN, "STYLE", "uncertainty")),
                Arguments.of("LayerNotQueryable", "QUERY_LAYERS", PLAIN, featureInfo("QUERY_LAYERS", PLAIN)),
                Arguments.of("InvalidPoint", "I", "60", featureInfo("I", "60")),
                Arguments.of("InvalidPoint", "J", "-1", featureInfo("J", "-1")),
                Arguments.of("InvalidPoint", "I", "'1.5'", featureInfo("I", "1.5")),
                Arguments.of("MissingParameterValue", "I", "I", featureInfo("I", null)),
                Arguments.of("InvalidDimensionValue", "TIME", "2030-01-01", getMap("TIME", "2030-01-01")),
                Arguments.of("InvalidDimensionValue", "TIME", "2030-01-01/2030-02-01",
                        getMap("TIME", "2030-01-01/2030-02-01")),
                Arguments.of("InvalidDimensionValue", "TIME", "lists are not supported",
                        getMap("TIME", "2024-01-01,2024-01-02")),
                Arguments.of("OperationNotSupported", "REQUEST", "GetStyles", kvp("SERVICE", "WMS", "REQUEST", "GetStyles")),
                Arguments.of("MissingParameterValue", "REQUEST", "REQUEST", kvp("SERVICE", "WMS")),
                Arguments.of("MissingParameterValue", "BBOX", "BBOX", getMap("BBOX", null)),
                Arguments.of("MissingParameterValue", "CRS", "CRS", getMap("CRS", "")),
                Arguments.of("MissingParameterValue", "WIDTH", "WIDTH", getMap("WIDTH", null)),
                Arguments.of("MissingParameterValue", "FORMAT", "FORMAT", getMap("FORMAT", null)),
                Arguments.of("MissingParameterValue", "LAYERS", "LAYERS", getMap("LAYERS", null)),
                Arguments.of("MissingParameterValue", "INFO_FORMAT", "INFO_FORMAT", featureInfo("INFO_FORMAT", null)),
                Arguments.of("MissingParameterValue", "QUERY_LAYERS", "QUERY_LAYERS",
                        featureInfo("QUERY_LAYERS", null)),
                Arguments.of("MissingParameterValue", "LAYER", "LAYER", kvp("REQUEST", "GetLegendGraphic")),
                Arguments.of("InvalidParameterValue", "BBOX", "1,2,3", getMap("BBOX", "1,2,3")),
                Arguments.of("InvalidParameterValue", "BBOX", "'x'", getMap("BBOX", "51,x,56,-5")),
                Arguments.of("InvalidParameterValue", "BBOX", "NaN", getMap("BBOX", "51,NaN,56,-5")),
                Arguments.of("InvalidParameterValue", "BBOX", "minimum", getMap("BBOX", "56,-11,51,-5")),
                Arguments.of("InvalidParameterValue", "WIDTH", "0", getMap("WIDTH", "0")),
                Arguments.of("InvalidParameterValue", "HEIGHT", "5000", getMap("HEIGHT", "5000")),
                Arguments.of("InvalidParameterValue", "WIDTH", "'abc'", getMap("WIDTH", "abc")),
                Arguments.of("InvalidParameterValue", "WIDTH", "99999999999", getMap("WIDTH", "99999999999")),
                Arguments.of("InvalidParameterValue", "TRANSPARENT", "maybe", getMap("TRANSPARENT", "maybe")),
                Arguments.of("InvalidParameterValue", "BGCOLOR", "red", getMap("BGCOLOR", "red")),
                Arguments.of("InvalidParameterValue", "BGCOLOR", "0xGGGGGG", getMap("BGCOLOR", "0xGGGGGG")),
                Arguments.of("InvalidParameterValue", "VERSION", "1.1.1", getMap("VERSION", "1.1.1")),
                Arguments.of("InvalidParameterValue", "SERVICE", "WFS", getMap("SERVICE", "WFS")),
                Arguments.of("InvalidParameterValue", "EXCEPTIONS", "HTML", getMap("EXCEPTIONS", "HTML")),
                Arguments.of("InvalidParameterValue", "FEATURE_COUNT", "0", featureInfo("FEATURE_COUNT", "0")),
                Arguments.of("InvalidParameterValue", "WIDTH", "9000",
                        kvp("REQUEST", "GetLegendGraphic", "LAYER", IRELAND, "WIDTH", "9000")),
                Arguments.of("InvalidParameterValue", "LAYERS", "at most 32",
                        getMap("LAYERS", String.join(",", java.util.Collections.nCopies(33, IRELAND)))));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("cases")
    void testReport(String code, String locator, String mentions, Kvp request) throws Exception {
        HttpReply r = wms.handle(request);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(200, r.status());
        assertEquals("text/xml", r.contentType(), body);
        validator.validate(new StreamSource(new ByteArrayInputStream(r.body())));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body())).getDocumentElement();
        assertEquals(ExceptionReport.NAMESPACE, root.getNamespaceURI());
        assertEquals("ServiceExceptionReport", root.getLocalName());
        assertEquals("1.3.0", root.getAttribute("version"));
        Element e = (Element) root.getElementsByTagNameNS(ExceptionReport.NAMESPACE, "ServiceException").item(0);
        assertEquals(code, e.getAttribute("code"), body);
        assertEquals(locator, e.getAttribute("locator"), body);
        assertTrue(e.getTextContent().contains(mentions), "message '" + e.getTextContent() + "' names " + mentions);
    }

    @Test
    void testMissingTimeTakesTheDefaultSoMissingDimensionValueNeverArises() {
        // Every time dimension declares a default (its first step), so OGC 06-042 C.4.1's
        // MissingDimensionValue does not apply: no TIME, or an empty TIME, draws the first step.
        HttpReply none = wms.handle(getMap("TIME", null));
        HttpReply empty = wms.handle(getMap("TIME", ""));
        assertEquals("image/png", none.contentType());
        assertEquals("image/png", empty.contentType());
    }

    @Test
    void testUnexpectedFailureIsReportedWithoutStackTrace() {
        LayerCatalog broken = new LayerCatalog() {
            @Override
            public List<LayerInfo> layers() {
                return WmsFixtures.catalog().layers();
            }

            @Override
            public Optional<RasterProduct> raster(String name) {
                throw new IllegalStateException("disk on fire");
            }
        };
        HttpReply r = new WmsService(broken, "http://h").handle(getMap());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals("text/xml", r.contentType());
        assertTrue(body.contains("code=\"NoApplicableCode\""), body);
        assertTrue(body.contains("internal error while answering this request; see the service log"), body);
        // nothing of the failure itself: no message, no class name, no stack trace
        assertFalse(body.contains("disk on fire"), body);
        assertFalse(body.contains("IllegalStateException"), body);
        assertFalse(body.contains("at dev.bayesnf"), body);
    }

    @Test
    void testBadBaseUrlIsRefusedAtConstruction() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new WmsService(new InMemoryLayerCatalog(), "localhost:8080"));
        assertEquals("http://h/x/wms", new WmsService(new InMemoryLayerCatalog(), "http://h/x//").endpoint());
    }
}
