package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.service.wms.ColorRamp;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The SLD 1.0 styles: well-formed, the SLD 1.0 structure GeoServer reads for rasters, colours
 * identical to the service's WMS ramps, quantities increasing, and the uncertainty band
 * arithmetic consistent with the raster band layout. The SLD 1.0 XSD is not on the project's
 * Maven mirror, so schema validation runs only when {@code /sld/1.0.0/StyledLayerDescriptor.xsd}
 * is on the class path (it is not, today).
 */
final class StylesTest {
    static final String SLD = "http://www.opengis.net/sld";
    static final String OGC = "http://www.opengis.net/ogc";

    static Document parse(String name) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = StylesTest.class.getResourceAsStream("/styles/" + name)) {
            assertNotNull(in, name + " is packaged");
            return f.newDocumentBuilder().parse(in);
        }
    }

    static Element only(Element parent, String ns, String local) {
        NodeList l = parent.getElementsByTagNameNS(ns, local);
        assertEquals(1, l.getLength(), "one " + local + " in " + parent.getLocalName());
        return (Element) l.item(0);
    }

    static Element child(Element parent, String local) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && SLD.equals(e.getNamespaceURI()) && e.getLocalName().equals(local)) {
                return e;
            }
        }
        throw new AssertionError("no " + local + " in " + parent.getLocalName());
    }

    /** Checks the structure and returns the ColorMapEntry colours as 0xRRGGBB. */
    static List<Integer> checkRasterStyle(Document d, String styleName) {
        Element root = d.getDocumentElement();
        assertEquals(SLD, root.getNamespaceURI());
        assertEquals("StyledLayerDescriptor", root.getLocalName());
        assertEquals("1.0.0", root.getAttribute("version"));
        Element style = only(only(root, SLD, "NamedLayer"), SLD, "UserStyle");
        assertEquals(styleName, child(style, "Name").getTextContent().trim());
        Element rule = only(only(style, SLD, "FeatureTypeStyle"), SLD, "Rule");
        Element raster = only(rule, SLD, "RasterSymbolizer");
        Element map = only(raster, SLD, "ColorMap");
        assertEquals("ramp", map.getAttribute("type"));
        NodeList entries = map.getElementsByTagNameNS(SLD, "ColorMapEntry");
        List<Integer> colours = new ArrayList<>();
        double last = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            String c = e.getAttribute("color");
            assertTrue(c.matches("#[0-9A-F]{6}"), c);
            colours.add(Integer.parseInt(c.substring(1), 16));
            double q = Double.parseDouble(e.getAttribute("quantity"));
            assertTrue(q > last, "quantities increase: " + q + " after " + last);
            last = q;
            double opacity = Double.parseDouble(e.getAttribute("opacity"));
            assertTrue(opacity >= 0 && opacity <= 1);
        }
        return colours;
    }

    /** The entries are the ramp's own stops: evenly spaced samples that match and no stop between them. */
    static void assertRampStops(ColorRamp ramp, List<Integer> colours) {
        int n = colours.size();
        assertTrue(n >= 2);
        int[] table = ramp.table(n);
        for (int i = 0; i < n; i++) {
            assertEquals(String.format("#%06X", table[i]), String.format("#%06X", colours.get(i)), "entry " + i);
        }
        for (int i = 0; i + 1 < n; i++) {
            int mid = ramp.rgb((i + 0.5) / (n - 1));
            int a = colours.get(i);
            int b = colours.get(i + 1);
            for (int shift : new int[] {16, 8, 0}) {
                double expected = (((a >> shift) & 0xFF) + ((b >> shift) & 0xFF)) / 2.0;
                assertEquals(expected, (mid >> shift) & 0xFF, 0.51, "no ramp stop between entries " + i + " and "
                        + (i + 1));
            }
        }
    }

    @Test
    void testMeanStyleIsTheViridisRampOnBandOne() throws Exception {
        Document d = parse("bayesnf-mean.sld");
        List<Integer> colours = checkRasterStyle(d, "bayesnf-mean");
        assertEquals(11, colours.size());
        assertRampStops(ColorRamp.VIRIDIS, colours);
        Element gray = only(d.getDocumentElement(), SLD, "GrayChannel");
        assertEquals("1", only(gray, SLD, "SourceChannelName").getTextContent().trim(),
                "band 1 is the mean of the first time step");
        assertEquals(0, d.getElementsByTagNameNS(SLD, "Transformation").getLength(), "plain SLD 1.0");
    }

    @Test
    void testUncertaintyStyleIsTheYellowRedRampOnTheIntervalWidth() throws Exception {
        Document d = parse("bayesnf-uncertainty.sld");
        List<Integer> colours = checkRasterStyle(d, "bayesnf-uncertainty");
        assertEquals(9, colours.size());
        assertRampStops(ColorRamp.YELLOW_RED, colours);
        Element tx = only(d.getDocumentElement(), SLD, "Transformation");
        Element fn = (Element) tx.getElementsByTagNameNS(OGC, "Function").item(0);
        assertEquals("ras:Jiffle", fn.getAttribute("name"));
        String script = null;
        NodeList params = fn.getElementsByTagNameNS(OGC, "Function");
        for (int i = 0; i < params.getLength(); i++) {
            NodeList lits = ((Element) params.item(i)).getElementsByTagNameNS(OGC, "Literal");
            if (lits.getLength() == 2 && lits.item(0).getTextContent().trim().equals("script")) {
                script = lits.item(1).getTextContent().trim();
            }
        }
        // With the processes' default levels 0.025, 0.5, 0.975 the first time step has the bands
        // mean, q0.025, q0.5, q0.975; Jiffle counts bands from 0.
        RasterProduct p = new RasterProduct(new dev.bayesnf.service.raster.Grid("EPSG:4326", 0, 0, 1, 1, 1, 1),
                List.of("t"), new double[] {0.025, 0.5, 0.975}, "v", new float[4][1]);
        assertEquals("dest = src[" + p.quantileBand(0, 2) + "] - src[" + p.quantileBand(0, 0) + "];", script);
    }

    @Test
    void testSchemaValidWhenTheSld10SchemaIsAvailable() throws Exception {
        URL xsd = StylesTest.class.getResource("/sld/1.0.0/StyledLayerDescriptor.xsd");
        assumeTrue(xsd != null, "the SLD 1.0 XSD is not on the class path (not on the project's Maven mirror)");
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
        schema.newValidator().validate(new DOMSource(parse("bayesnf-mean.sld")));
    }
}
