package dev.bayesnf.service.wps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessLimits;
import dev.bayesnf.service.process.Processes;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WPS 1.0.0 Execute parser on its own, XML (POST) and KVP (GET): inputs of each kind, the
 * response forms, the same request both ways, and the requests it must refuse. References are
 * only checked against the allow-list when read, so nothing here connects anywhere.
 */
class ExecuteParserTest {
    private static final String ALLOWED = "data.example.org";
    private static final ExecuteParser PARSER = new ExecuteParser(new ReferenceFetcher(new ProcessLimits(2_000_000,
            50_000_000L, 2_000_000L, List.of(ALLOWED), 1L << 20, Duration.ofSeconds(1))));

    private static final String CSV = "longitude,latitude,datetime,wind\n-8.5,53.1,2020-01-01,4.5\n"
            + "-7.25,52.0,2020-01-02,6\n";
    private static final String GEOJSON = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-8.5,53.1]},\"properties\":{\"wind\":4.5}}]}";

    // ------------------------------------------------------------------------------- helpers

    private static String execute(String id, String inputs, String responseForm) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><wps:Execute service=\"WPS\" version=\"1.0.0\""
                + " xmlns:wps=\"http://www.opengis.net/wps/1.0.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\""
                + " xmlns:xlink=\"http://www.w3.org/1999/xlink\"><ows:Identifier>" + id + "</ows:Identifier>"
                + "<wps:DataInputs>" + inputs + "</wps:DataInputs>" + responseForm + "</wps:Execute>";
    }

    private static String lit(String id, String value) {
        return input(id, "<wps:LiteralData>" + value + "</wps:LiteralData>");
    }

    private static String input(String id, String data) {
        return "<wps:Input><ows:Identifier>" + id + "</ows:Identifier><wps:Data>" + data + "</wps:Data></wps:Input>";
    }

    private static ExecuteRequest xml(String doc) {
        return PARSER.parseXml(doc.getBytes(StandardCharsets.UTF_8));
    }

    private static ExecuteRequest kvp(String query) {
        return PARSER.parseKvp(Kvp.parse(query));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String literal(ExecuteRequest r, String id) {
        List<InputValue> v = r.inputs().get(id);
        assertEquals(1, v == null ? 0 : v.size(), id + ": " + v);
        return assertInstanceOf(InputValue.Literal.class, v.get(0)).value();
    }

    private static InputValue.Complex complex(ExecuteRequest r, String id) {
        List<InputValue> v = r.inputs().get(id);
        assertEquals(1, v == null ? 0 : v.size(), id + ": " + v);
        return assertInstanceOf(InputValue.Complex.class, v.get(0));
    }

    /** The request in comparable form (its records hold arrays, which compare by identity). */
    private static List<Object> comparable(ExecuteRequest r) {
        Map<String, List<String>> in = new LinkedHashMap<>();
        r.inputs().forEach((k, vs) -> {
            List<String> l = new ArrayList<>();
            for (InputValue v : vs) {
                l.add(describe(v));
            }
            in.put(k, l);
        });
        List<Object> c = new ArrayList<>();
        c.add(r.identifier());
        c.add(in);
        c.add(r.raw());
        c.add(r.document());
        return c;
    }

    private static String describe(InputValue v) {
        if (v instanceof InputValue.Literal x) {
            return "literal " + x.value();
        } else if (v instanceof InputValue.Complex x) {
            return "complex " + x.mimeType() + " " + Base64.getEncoder().encodeToString(x.data());
        } else if (v instanceof InputValue.BoundingBox x) {
            return "bbox " + x.crs() + " " + java.util.Arrays.toString(x.lower()) + " "
                    + java.util.Arrays.toString(x.upper());
        }
        InputValue.Reference x = (InputValue.Reference) v;
        return "reference " + x.href() + " " + x.mimeType() + " "
                + (x.body() == null ? null : new String(x.body(), StandardCharsets.UTF_8));
    }

    private static ProcessException refused(ProcessException.Code code, String phrase, Executable parse) {
        ProcessException e = assertThrows(ProcessException.class, parse);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
        return e;
    }

    // ------------------------------------------------------------------------------ XML inputs

    @Test
    void xmlLiteralInputsInOrderAndRepeated() {
        ExecuteRequest r = xml(execute("bayesnf:Fit", lit("target", "wind") + lit("epochs", " 5 ")
                + lit("features", "longitude") + lit("features", "latitude") + lit("empty", ""), ""));
        assertEquals("bayesnf:Fit", r.identifier());
        assertEquals(List.of("target", "epochs", "features", "empty"), List.copyOf(r.inputs().keySet()));
        assertEquals("wind", literal(r, "target"));
        // literal text is kept as written (the process trims and converts)
        assertEquals(" 5 ", literal(r, "epochs"));
        assertEquals("", literal(r, "empty"));
        List<InputValue> features = r.inputs().get("features");
        assertEquals(List.of(new InputValue.Literal("longitude"), new InputValue.Literal("latitude")), features);
        // no ResponseForm: synchronous, outputs inline
        assertNull(r.raw());
        assertNull(r.document());
    }

    @Test
    void xmlComplexInputsInlineCsvGeoJsonBase64AndXml() {
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};
        ExecuteRequest r = xml(execute("bayesnf:Fit",
                input("data", "<wps:ComplexData mimeType=\"text/csv\"><![CDATA[" + CSV + "]]></wps:ComplexData>")
                        + input("geo", "<wps:ComplexData mimeType=\"application/geo+json\">" + GEOJSON
                                + "</wps:ComplexData>")
                        + input("bin", "<wps:ComplexData mimeType=\"application/octet-stream\" encoding=\"base64\">\n"
                                + Base64.getMimeEncoder().encodeToString(binary) + "\n</wps:ComplexData>")
                        + input("gml", "<wps:ComplexData mimeType=\"text/xml\"><gml:Point"
                                + " xmlns:gml=\"http://www.opengis.net/gml\" srsName=\"EPSG:4326\"><gml:pos>53.1 -8.5"
                                + "</gml:pos></gml:Point></wps:ComplexData>")
                        + input("plain", "<wps:ComplexData>just text &amp; more</wps:ComplexData>"), ""));
        InputValue.Complex data = complex(r, "data");
        assertEquals("text/csv", data.mimeType());
        assertEquals(CSV, new String(data.data(), StandardCharsets.UTF_8));
        InputValue.Complex geo = complex(r, "geo");
        assertEquals("application/geo+json", geo.mimeType());
        assertEquals(GEOJSON, new String(geo.data(), StandardCharsets.UTF_8));
        InputValue.Complex bin = complex(r, "bin");
        assertArrayEquals(binary, bin.data());
        assertEquals("application/octet-stream", bin.mimeType());
        // inline XML is re-serialised with its namespace and attributes
        String gml = new String(complex(r, "gml").data(), StandardCharsets.UTF_8);
        assertTrue(gml.startsWith("<gml:Point"), gml);
        assertTrue(gml.contains("xmlns:gml=\"http://www.opengis.net/gml\""), gml);
        assertTrue(gml.contains("srsName=\"EPSG:4326\""), gml);
        assertTrue(gml.contains("<gml:pos") && gml.contains(">53.1 -8.5</gml:pos></gml:Point>"), gml);
        // no media type: null; character references resolved
        InputValue.Complex plain = complex(r, "plain");
        assertNull(plain.mimeType());
        assertEquals("just text & more", new String(plain.data(), StandardCharsets.UTF_8));
    }

    @Test
    void xmlBoundingBoxInputOfTheRasterProcesses() {
        // the fixture matches the catalogue: Forecast has a bounding box input outputBBOX
        BayesProcess forecast = Processes.standard(ProcessLimits.defaults()).stream()
                .filter(p -> p.spec().id().equals("bayesnf:Forecast")).findFirst().orElseThrow();
        InputSpec bboxSpec = forecast.spec().input("outputBBOX").orElseThrow();
        assertEquals(DataKind.BBOX, bboxSpec.kind());
        assertTrue(bboxSpec.crs().contains("EPSG:4326"), bboxSpec.crs().toString());

        ExecuteRequest r = xml(execute("bayesnf:Forecast", lit("model", "m-1")
                + input("outputBBOX", "<wps:BoundingBoxData crs=\"EPSG:4326\" dimensions=\"2\">"
                        + "<ows:LowerCorner>-10.5 51</ows:LowerCorner><ows:UpperCorner> -5.25  55.5 </ows:UpperCorner>"
                        + "</wps:BoundingBoxData>"), ""));
        List<InputValue> v = r.inputs().get("outputBBOX");
        assertEquals(1, v.size());
        InputValue.BoundingBox b = assertInstanceOf(InputValue.BoundingBox.class, v.get(0));
        assertEquals("EPSG:4326", b.crs());
        assertArrayEquals(new double[] {-10.5, 51}, b.lower());
        assertArrayEquals(new double[] {-5.25, 55.5}, b.upper());

        // without a crs: null (the process uses its default)
        InputValue.BoundingBox nocrs = assertInstanceOf(InputValue.BoundingBox.class, xml(execute("bayesnf:Forecast",
                input("outputBBOX", "<wps:BoundingBoxData><ows:LowerCorner>0 1</ows:LowerCorner>"
                        + "<ows:UpperCorner>2 3</ows:UpperCorner></wps:BoundingBoxData>"), "")).inputs()
                .get("outputBBOX").get(0));
        assertNull(nocrs.crs());
        assertArrayEquals(new double[] {2, 3}, nocrs.upper());
    }

    @Test
    void xmlBoundingBoxErrorsNameTheInput() {
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "needs LowerCorner and UpperCorner",
                () -> xml(execute("bayesnf:Forecast", input("outputBBOX", "<wps:BoundingBoxData crs=\"EPSG:4326\">"
                        + "<ows:LowerCorner>0 1</ows:LowerCorner></wps:BoundingBoxData>"), "")));
        assertEquals("outputBBOX", e.locator());
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "is not numbers",
                () -> xml(execute("bayesnf:Forecast", input("outputBBOX", "<wps:BoundingBoxData>"
                        + "<ows:LowerCorner>0 north</ows:LowerCorner><ows:UpperCorner>2 3</ows:UpperCorner>"
                        + "</wps:BoundingBoxData>"), "")));
        assertEquals("outputBBOX", e.locator());
        assertTrue(e.getMessage().contains("input 'outputBBOX'"), e.getMessage());
    }

    @Test
    void kvpBoundingBoxIsALiteralUntilTheServiceKnowsTheSpec() {
        // the KVP parser does not know the process: the box stays text ...
        ExecuteRequest r = kvp("identifier=bayesnf:Forecast&DataInputs=outputBBOX=-10.5,51,-5.25,55.5,EPSG:4326");
        String text = literal(r, "outputBBOX");
        assertEquals("-10.5,51,-5.25,55.5,EPSG:4326", text);
        // ... and the service reads it with bboxFromKvp: the same box as the XML form
        InputValue.BoundingBox b = assertInstanceOf(InputValue.BoundingBox.class,
                ExecuteParser.bboxFromKvp("outputBBOX", text));
        assertEquals("EPSG:4326", b.crs());
        assertArrayEquals(new double[] {-10.5, 51}, b.lower());
        assertArrayEquals(new double[] {-5.25, 55.5}, b.upper());
        assertNull(((InputValue.BoundingBox) ExecuteParser.bboxFromKvp("b", "0,1,2,3")).crs());
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "minx,miny,maxx,maxy[,crs]",
                () -> ExecuteParser.bboxFromKvp("outputBBOX", "0,1,2"));
        assertEquals("outputBBOX", e.locator());
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "'east' is not a number",
                () -> ExecuteParser.bboxFromKvp("outputBBOX", "0,1,east,3"));
    }

    // --------------------------------------------------------------------------- response forms

    @Test
    void xmlResponseDocumentOptionsAndOutputs() {
        ExecuteRequest r = xml(execute("bayesnf:Fit", lit("target", "wind"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"true\" status=\"true\""
                        + " lineage=\"true\"><wps:Output asReference=\"true\" mimeType=\"application/json\">"
                        + "<ows:Identifier>report</ows:Identifier><ows:Title>Fit report</ows:Title></wps:Output>"
                        + "<wps:Output><ows:Identifier>model</ows:Identifier></wps:Output>"
                        + "</wps:ResponseDocument></wps:ResponseForm>"));
        assertNull(r.raw());
        ExecuteRequest.ResponseDocument d = r.document();
        assertTrue(d.store());
        assertTrue(d.status());
        assertTrue(d.lineage());
        assertEquals(List.of(new ExecuteRequest.OutputRequest("report", "application/json", true),
                new ExecuteRequest.OutputRequest("model", null, false)), d.outputs());

        // the defaults: everything false, no outputs named
        ExecuteRequest plain = xml(execute("bayesnf:Fit", lit("target", "wind"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"false\"/></wps:ResponseForm>"));
        assertEquals(new ExecuteRequest.ResponseDocument(false, false, false, List.of()), plain.document());
        ExecuteRequest one = xml(execute("bayesnf:Fit", lit("target", "wind"),
                "<wps:ResponseForm><wps:ResponseDocument lineage=\"TRUE\"/></wps:ResponseForm>"));
        assertEquals(new ExecuteRequest.ResponseDocument(false, false, true, List.of()), one.document());
    }

    @Test
    void xmlRawDataOutputWithMimeType() {
        ExecuteRequest r = xml(execute("bayesnf:Forecast", lit("model", "m-1"),
                "<wps:ResponseForm><wps:RawDataOutput mimeType=\"image/tiff; subtype=geotiff\">"
                        + "<ows:Identifier>result</ows:Identifier></wps:RawDataOutput></wps:ResponseForm>"));
        assertNull(r.document());
        assertEquals(new ExecuteRequest.OutputRequest("result", "image/tiff; subtype=geotiff", false), r.raw());

        ProcessException e = refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs an ows:Identifier",
                () -> xml(execute("bayesnf:Forecast", lit("model", "m-1"),
                        "<wps:ResponseForm><wps:RawDataOutput mimeType=\"image/tiff\"/></wps:ResponseForm>")));
        assertEquals("RawDataOutput", e.locator());
    }

    // ------------------------------------------------------------------------- the same by KVP

    @Test
    void kvpGivesTheSameRequestAsXml() {
        ExecuteRequest x = xml(execute("bayesnf:Fit", lit("target", "wind") + lit("epochs", "5")
                + lit("features", "longitude") + lit("features", "latitude")
                + input("data", "<wps:ComplexData mimeType=\"text/csv\"><![CDATA[" + CSV + "]]></wps:ComplexData>")
                + input("geo", "<wps:ComplexData mimeType=\"application/geo+json\">" + GEOJSON
                        + "</wps:ComplexData>"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"true\" status=\"true\""
                        + " lineage=\"true\"><wps:Output asReference=\"true\" mimeType=\"application/json\">"
                        + "<ows:Identifier>report</ows:Identifier></wps:Output>"
                        + "<wps:Output><ows:Identifier>model</ows:Identifier></wps:Output>"
                        + "</wps:ResponseDocument></wps:ResponseForm>"));
        // separators literal, each value percent-encoded (WPS 1.0.0 §10.2.2.1)
        String dataInputs = "target=wind;epochs=5;features=longitude;features=latitude;data=" + enc(CSV)
                + "@mimeType=text%2Fcsv;geo=" + enc(GEOJSON) + "@mimeType=" + enc("application/geo+json");
        ExecuteRequest k = kvp("service=WPS&version=1.0.0&request=Execute&identifier=bayesnf:Fit&DataInputs="
                + dataInputs + "&ResponseDocument=report@mimeType=application/json@asReference=true;model"
                + "&storeExecuteResponse=true&status=true&lineage=true");
        assertEquals(comparable(x), comparable(k));
        assertEquals(CSV, new String(complex(k, "data").data(), StandardCharsets.UTF_8));
        assertTrue(k.document().store() && k.document().status() && k.document().lineage());

        // RawDataOutput both ways
        ExecuteRequest xr = xml(execute("bayesnf:Forecast", lit("model", "m-1") + lit("outputWidth", "8"),
                "<wps:ResponseForm><wps:RawDataOutput mimeType=\"image/png\">"
                        + "<ows:Identifier>result</ows:Identifier></wps:RawDataOutput></wps:ResponseForm>"));
        ExecuteRequest kr = kvp("identifier=bayesnf:Forecast&DataInputs=model=m-1;outputWidth=8"
                + "&RawDataOutput=result@mimeType=image/png");
        assertEquals(comparable(xr), comparable(kr));
        assertEquals(new ExecuteRequest.OutputRequest("result", "image/png", false), kr.raw());
        assertNull(kr.document());

        // neither: synchronous, inline
        ExecuteRequest xs = xml(execute("echo", lit("value", "hello"), ""));
        ExecuteRequest ks = kvp("identifier=echo&DataInputs=value=hello");
        assertEquals(comparable(xs), comparable(ks));
        // the flags alone make a ResponseDocument, as an empty wps:ResponseDocument does
        assertEquals(xml(execute("echo", lit("value", "hello"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"true\"/></wps:ResponseForm>"))
                .document(), kvp("identifier=echo&DataInputs=value=hello&storeExecuteResponse=true").document());
    }

    @Test
    void kvpEncodingsOfSeparatorsAndBase64() {
        // an encoded ';' '@' '=' stays inside the value
        ExecuteRequest r = kvp("identifier=echo&DataInputs=value=a%3Bpause%3D5%40mimeType%3Dx;pause=0");
        assertEquals("a;pause=5@mimeType=x", literal(r, "value"));
        assertEquals("0", literal(r, "pause"));
        // a whole-encoded DataInputs (no literal '=') is decoded, then split
        r = kvp("identifier=echo&DataInputs=value%3Dwhole%3Bpause%3D0");
        assertEquals("whole", literal(r, "value"));
        assertEquals("0", literal(r, "pause"));
        // backslash escapes
        r = kvp("identifier=echo&DataInputs=" + enc("value=a\\;b\\@c\\=d"));
        assertEquals("a;b@c=d", literal(r, "value"));
        // base64 documents are decoded; an encoding without a media type still makes a document
        byte[] bytes = {1, 2, 3, (byte) 0xfb, (byte) 0xff};
        r = kvp("identifier=bayesnf:Fit&DataInputs=data=" + enc(Base64.getEncoder().encodeToString(bytes))
                + "@encoding=base64");
        InputValue.Complex c = complex(r, "data");
        assertArrayEquals(bytes, c.data());
        assertNull(c.mimeType());
        // a last group of one character cannot be base64
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE,
                "input 'data' is declared base64 but is not valid base64",
                () -> kvp("identifier=bayesnf:Fit&DataInputs=data=AAAAA@encoding=base64"));
        assertEquals("data", e.locator());
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "is declared base64 but is not valid base64",
                () -> xml(execute("bayesnf:Fit", input("data", "<wps:ComplexData encoding=\"base64\">AAAAA"
                        + "</wps:ComplexData>"), "")));

        // characters outside the alphabet are refused, not skipped; line breaks are allowed
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "is declared base64 but is not valid base64",
                () -> kvp("identifier=bayesnf:Fit&DataInputs=data=" + enc("@@@!") + "@encoding=base64"));
        InputValue.Complex wrapped = complex(xml(execute("bayesnf:Fit", input("data",
                "<wps:ComplexData encoding=\"base64\">AQID\n+/8=</wps:ComplexData>"), "")), "data");
        assertArrayEquals(bytes, wrapped.data());
    }

    // ----------------------------------------------------------------------------- references

    @Test
    void referencesToAllowedHostsAreKeptForTheJob() {
        ExecuteRequest r = xml(execute("bayesnf:Fit", "<wps:Input><ows:Identifier>data</ows:Identifier>"
                + "<wps:Reference xlink:href=\"https://" + ALLOWED + "/wind.csv\" mimeType=\"text/csv\"/></wps:Input>"
                + "<wps:Input><ows:Identifier>geo</ows:Identifier><wps:Reference xlink:href=\"https://" + ALLOWED
                + "/wfs\" method=\"POST\"><wps:Body><wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs\""
                + " typeName=\"stations\"/></wps:Body></wps:Reference></wps:Input>", ""));
        InputValue.Reference data = assertInstanceOf(InputValue.Reference.class, r.inputs().get("data").get(0));
        assertEquals("https://" + ALLOWED + "/wind.csv", data.href());
        assertEquals("text/csv", data.mimeType());
        assertNull(data.body());
        InputValue.Reference geo = assertInstanceOf(InputValue.Reference.class, r.inputs().get("geo").get(0));
        String body = new String(geo.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("GetFeature") && body.contains("typeName=\"stations\""), body);

        ExecuteRequest k = kvp("identifier=bayesnf:Fit&DataInputs=data=@xlink:href=" + enc("https://" + ALLOWED
                + "/wind.csv") + "@mimeType=text%2Fcsv");
        assertEquals(comparable(xml(execute("bayesnf:Fit", "<wps:Input><ows:Identifier>data</ows:Identifier>"
                + "<wps:Reference xlink:href=\"https://" + ALLOWED + "/wind.csv\" mimeType=\"text/csv\"/></wps:Input>",
                ""))), comparable(k));
    }

    @Test
    void referencesToOtherHostsAreRefusedNamingTheInput() {
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "input 'data'",
                () -> xml(execute("bayesnf:Fit", "<wps:Input><ows:Identifier>data</ows:Identifier>"
                        + "<wps:Reference xlink:href=\"http://169.254.169.254/latest/meta-data/\"/></wps:Input>"
                        + lit("target", "wind"), "")));
        assertEquals("data", e.locator());
        assertTrue(e.getMessage().contains("'169.254.169.254'") && e.getMessage().contains("allow-list"),
                e.getMessage());
        // the allowed host on another port is another host
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "port 8080",
                () -> xml(execute("bayesnf:Fit", "<wps:Input><ows:Identifier>data</ows:Identifier>"
                        + "<wps:Reference xlink:href=\"http://" + ALLOWED + ":8080/x.csv\"/></wps:Input>", "")));
        assertEquals("data", e.locator());
        // not http(s)
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "only http and https",
                () -> xml(execute("bayesnf:Fit", "<wps:Input><ows:Identifier>data</ows:Identifier>"
                        + "<wps:Reference xlink:href=\"file:///etc/passwd\"/></wps:Input>", "")));
        // KVP, the same check
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "allow-list",
                () -> kvp("identifier=bayesnf:Fit&DataInputs=data=@xlink:href=" + enc("http://evil.example.com/a.csv")
                        + ";target=wind"));
        assertEquals("data", e.locator());
        assertTrue(e.getMessage().contains("input 'data'") && e.getMessage().contains("evil.example.com"),
                e.getMessage());
        // a reference without href
        refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs xlink:href",
                () -> xml(execute("bayesnf:Fit", "<wps:Input><ows:Identifier>data</ows:Identifier>"
                        + "<wps:Reference mimeType=\"text/csv\"/></wps:Input>", "")));
    }

    // --------------------------------------------------------------------------------- errors

    @Test
    void malformedXmlIsRefused() {
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "not well-formed XML",
                () -> xml(execute("echo", lit("value", "x"), "").replace("</wps:Execute>", "</wps:Exec>")));
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "not well-formed XML",
                () -> xml("<wps:Execute xmlns:wps=\"" + ExecuteParser.WPS + "\"><ows:Identifier>echo"));
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "not well-formed XML", () -> xml(""));
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "not well-formed XML", () -> xml("service=WPS"));
    }

    @Test
    void doctypeAndExternalEntitiesAreRefused(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE wps:Execute [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + execute("echo", lit("value", "&xxe;"), "").replaceFirst("^<\\?xml[^>]*>", "");
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "DTD", () -> xml(xxe));
        assertEquals("request", e.locator());
        assertFalse(e.getMessage().contains("TOP-SECRET-CONTENT"), e.getMessage());
        // an entity in complex data, and an internal entity expansion (billion laughs), likewise
        String inComplex = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>" + execute("bayesnf:Fit",
                input("data", "<wps:ComplexData mimeType=\"text/csv\">&xxe;</wps:ComplexData>"), "");
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "DTD", () -> xml(inComplex));
        assertFalse(e.getMessage().contains("TOP-SECRET-CONTENT"), e.getMessage());
        String laughs = "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + execute("echo", lit("value", "&b;"), "");
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "DTD", () -> xml(laughs));
        // a bare DOCTYPE without entities is refused too
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "DTD",
                () -> xml("<!DOCTYPE wps:Execute>" + execute("echo", lit("value", "x"), "")));
    }

    @Test
    void missingIdentifiersAreRefused() {
        ProcessException e = refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs an ows:Identifier",
                () -> xml(execute("", lit("value", "x"), "")));
        assertEquals("Identifier", e.locator());
        e = refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs an ows:Identifier",
                () -> xml("<wps:Execute service=\"WPS\" version=\"1.0.0\" xmlns:wps=\"" + ExecuteParser.WPS
                        + "\"><wps:DataInputs/></wps:Execute>"));
        assertEquals("Identifier", e.locator());
        // an identifier in another namespace is not the process identifier
        refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs an ows:Identifier",
                () -> xml("<wps:Execute xmlns:wps=\"" + ExecuteParser.WPS + "\"><wps:Identifier>echo</wps:Identifier>"
                        + "</wps:Execute>"));
        e = refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "every wps:Input needs an ows:Identifier",
                () -> xml(execute("echo", "<wps:Input><wps:Data><wps:LiteralData>x</wps:LiteralData></wps:Data>"
                        + "</wps:Input>", "")));
        assertEquals("Input", e.locator());
        e = refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "has no wps:Data or wps:Reference",
                () -> xml(execute("echo", "<wps:Input><ows:Identifier>value</ows:Identifier></wps:Input>", "")));
        assertEquals("value", e.locator());

        e = refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs an 'identifier'",
                () -> kvp("service=WPS&request=Execute&DataInputs=value=x"));
        assertEquals("Identifier", e.locator());
        refused(ProcessException.Code.MISSING_PARAMETER_VALUE, "needs an 'identifier'",
                () -> kvp("service=WPS&request=Execute&identifier=%20&DataInputs=value=x"));
    }

    @Test
    void wrongDocumentServiceAndVersionAreRefused() {
        refused(ProcessException.Code.OPERATION_NOT_SUPPORTED, "expected a wps:Execute document",
                () -> xml("<wps:GetCapabilities xmlns:wps=\"" + ExecuteParser.WPS + "\"/>"));
        refused(ProcessException.Code.OPERATION_NOT_SUPPORTED, "expected a wps:Execute document",
                () -> xml("<Execute><Identifier>echo</Identifier></Execute>"));
        ProcessException e = refused(ProcessException.Code.VERSION_NEGOTIATION_FAILED, "not 2.0.0",
                () -> xml(execute("echo", lit("value", "x"), "").replace("version=\"1.0.0\" xmlns",
                        "version=\"2.0.0\" xmlns")));
        assertEquals("version", e.locator());
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "service must be WPS",
                () -> xml(execute("echo", lit("value", "x"), "").replace("service=\"WPS\"", "service=\"WMS\"")));
        assertEquals("service", e.locator());
    }

    @Test
    void kvpFormErrorsAreRefused() {
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "malformed DataInputs entry",
                () -> kvp("identifier=echo&DataInputs=value=x;novalue"));
        assertEquals("DataInputs", e.locator());
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "not both",
                () -> kvp("identifier=echo&DataInputs=value=x&RawDataOutput=value&ResponseDocument=value"));
        assertEquals("RawDataOutput", e.locator());
        refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "exactly one output",
                () -> kvp("identifier=echo&DataInputs=value=x&RawDataOutput=a;b"));
    }

    // ------------------------------------------------------------- read against the process

    private static ExecuteParser boundParser() {
        Map<String, BayesProcess> byId = new LinkedHashMap<>();
        Processes.standard(ProcessLimits.defaults()).forEach(p -> byId.put(p.spec().id(), p));
        return new ExecuteParser(new ReferenceFetcher(ProcessLimits.defaults()), id -> {
            BayesProcess p = byId.get(id);
            if (p == null) {
                throw ProcessException.invalid("Identifier", "no process '" + id + "'");
            }
            return p;
        });
    }

    @Test
    void aParserThatKnowsTheProcessesReadsBoundingBoxesByTheSpec() {
        ExecuteParser bound = boundParser();
        ExecuteRequest r = bound.parseKvp(Kvp.parse(
                "identifier=bayesnf:Forecast&DataInputs=outputBBOX=-10.5,51,-5.25,55.5,EPSG:4326;model=m"));
        assertEquals("bayesnf:Forecast", r.process().spec().id());
        InputValue.BoundingBox b = assertInstanceOf(InputValue.BoundingBox.class, r.inputs().get("outputBBOX").get(0));
        assertEquals("EPSG:4326", b.crs());
        assertArrayEquals(new double[] {-10.5, 51}, b.lower());
        assertArrayEquals(new double[] {-5.25, 55.5}, b.upper());
        // other inputs stay as they were given
        assertEquals("m", ((InputValue.Literal) r.inputs().get("model").get(0)).value());
        // a box as LiteralData in XML too
        ExecuteRequest x = bound.parseXml(execute("bayesnf:Forecast", lit("outputBBOX", "0,1,2,3"), "")
                .getBytes(StandardCharsets.UTF_8));
        InputValue.BoundingBox xb = assertInstanceOf(InputValue.BoundingBox.class, x.inputs().get("outputBBOX").get(0));
        assertNull(xb.crs());
        assertArrayEquals(new double[] {2, 3}, xb.upper());
        // the syntax-only parser leaves the process out
        assertNull(kvp("identifier=echo&DataInputs=value=x").process());
    }

    @Test
    void aParserThatKnowsTheProcessesRefusesWhatTheProcessCannotTake() {
        ExecuteParser bound = boundParser();
        ProcessException e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "no process 'nope'",
                () -> bound.parseKvp(Kvp.parse("identifier=nope&DataInputs=value=x")));
        assertEquals("Identifier", e.locator());
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "status=true needs storeExecuteResponse=true",
                () -> bound.parseKvp(Kvp.parse("identifier=bayesnf:Forecast&status=true")));
        assertEquals("status", e.locator());
        e = refused(ProcessException.Code.INVALID_PARAMETER_VALUE, "minx,miny,maxx,maxy[,crs]",
                () -> bound.parseKvp(Kvp.parse("identifier=bayesnf:Forecast&DataInputs=outputBBOX=0,1,2")));
        assertEquals("outputBBOX", e.locator());
    }
}
