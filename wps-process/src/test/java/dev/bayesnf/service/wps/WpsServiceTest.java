package dev.bayesnf.service.wps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.OgcSchemas;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.TestData;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * WPS 1.0.0 over real HTTP on localhost: every response validated against the official schemas,
 * the Fit -> Forecast chain, sync and async execution, lineage, RawDataOutput, dismissal, and the
 * bad requests the service must refuse with an ExceptionReport.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WpsServiceTest {
    @TempDir
    static Path dir;

    private BayesNFService service;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private String model;

    @BeforeAll
    void start() throws Exception {
        // the synchronous Fit below must finish within the synchronous wait, also on a loaded CI
        // machine (its cross-validation runs twice for data with time: segments and whole places)
        ServiceConfig defaults = ServiceConfig.defaults(dir, 0);
        ServiceConfig cfg = defaults.withDemo(false).withLimits(2_000_000, 200_000, 2_000_000, 4L << 20)
                .withJobs(defaults.maxRunningJobs(), defaults.resultExpiry(), java.time.Duration.ofMinutes(5));
        service = BayesNFService.start(cfg);
        base = service.config().baseUrl();
        String csv = TestData.windTail(30);
        String exec = execute("bayesnf:Fit", input("data", "<wps:ComplexData mimeType=\"text/csv\"><![CDATA[" + csv
                + "]]></wps:ComplexData>") + lit("target", "wind") + lit("time", "datetime") + lit("freq", "D")
                + lit("features", "longitude,latitude") + lit("standardize", "longitude,latitude")
                + lit("width", "8") + lit("ensemble", "2") + lit("epochs", "5"), "");
        String body = post(exec);
        Matcher m = Pattern.compile("<wps:LiteralData[^>]*>(m-[0-9a-f-]+)</wps:LiteralData>").matcher(body);
        assertTrue(m.find(), body);
        model = m.group(1);
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
    }

    static String lit(String id, String value) {
        return input(id, "<wps:LiteralData>" + value + "</wps:LiteralData>");
    }

    static String input(String id, String data) {
        return "<wps:Input><ows:Identifier>" + id + "</ows:Identifier><wps:Data>" + data + "</wps:Data></wps:Input>";
    }

    static String execute(String id, String inputs, String responseForm) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><wps:Execute service=\"WPS\" version=\"1.0.0\""
                + " xmlns:wps=\"http://www.opengis.net/wps/1.0.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\""
                + " xmlns:xlink=\"http://www.w3.org/1999/xlink\"><ows:Identifier>" + id + "</ows:Identifier>"
                + "<wps:DataInputs>" + inputs + "</wps:DataInputs>" + responseForm + "</wps:Execute>";
    }

    private HttpResponse<byte[]> getBytes(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/wps?" + query)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private String get(String query) throws Exception {
        HttpResponse<byte[]> r = getBytes(query);
        OgcSchemas.validateWps(r.body());
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> postBytes(String xml) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/wps")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String post(String xml) throws Exception {
        HttpResponse<byte[]> r = postBytes(xml);
        OgcSchemas.validateWps(r.body());
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void capabilitiesListEveryProcessWithAbsoluteLinks() throws Exception {
        String caps = get("service=WPS&request=GetCapabilities");
        for (String p : List.of("bayesnf:Fit", "bayesnf:Forecast", "bayesnf:Interpolate", "bayesnf:Predict",
                "bayesnf:Variogram", "echo")) {
            assertTrue(caps.contains("<ows:Identifier>" + p + "</ows:Identifier>"), p);
        }
        assertTrue(caps.contains("xlink:href=\"" + base + "/wps\""), caps);
        // keys are case-insensitive, and the bare endpoint answers with the capabilities too
        assertTrue(get("SERVICE=WPS&REQUEST=GetCapabilities&ACCEPTVERSIONS=1.0.0").contains("wps:Capabilities"));
    }

    @Test
    void describeProcessIsSchemaValidWithDefaultsAndAllowedValues() throws Exception {
        String d = get("service=WPS&version=1.0.0&request=DescribeProcess&identifier=ALL");
        assertTrue(d.contains("<ows:Identifier>outputBBOX</ows:Identifier>"), d);
        assertTrue(d.contains("<MimeType>image/tiff</MimeType>"));
        assertTrue(d.contains("<MimeType>image/tiff; subtype=geotiff</MimeType>"));
        assertTrue(d.contains("<ows:Value>zinb</ows:Value>"));
        assertTrue(d.contains("<DefaultValue>0.025,0.5,0.975</DefaultValue>"));
    }

    @Test
    void syncExecuteByKvpAndRawDataOutput() throws Exception {
        String r = get("service=WPS&version=1.0.0&request=Execute&identifier=echo&DataInputs=value=hello");
        assertTrue(r.contains("ProcessSucceeded") && r.contains(">hello</wps:LiteralData>"), r);
        HttpResponse<byte[]> raw = getBytes("service=WPS&version=1.0.0&request=Execute&identifier=echo"
                + "&DataInputs=value=raw&RawDataOutput=value");
        assertEquals("raw", new String(raw.body(), StandardCharsets.UTF_8));
        // four numbers are a bounding box only where the process declares one
        HttpResponse<byte[]> four = getBytes("service=WPS&version=1.0.0&request=Execute&identifier=echo"
                + "&DataInputs=value=1,2,3,4&RawDataOutput=value");
        assertEquals("1,2,3,4", new String(four.body(), StandardCharsets.UTF_8));
        // an encoded ';' or '=' is part of the value, not another input (no pause of 5 s here)
        HttpResponse<byte[]> semi = getBytes("service=WPS&version=1.0.0&request=Execute&identifier=echo"
                + "&DataInputs=value=a%3Bpause%3D5%40mimeType%3Dx&RawDataOutput=value");
        assertEquals("a;pause=5@mimeType=x", new String(semi.body(), StandardCharsets.UTF_8));
        // a client that encoded the whole value, separators too, is still understood
        HttpResponse<byte[]> whole = getBytes("service=WPS&version=1.0.0&request=Execute&identifier=echo"
                + "&DataInputs=value%3Dwhole%3Bpause%3D0&RawDataOutput=value");
        assertEquals("whole", new String(whole.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> kvpBox = getBytes("service=WPS&version=1.0.0&request=Execute&identifier=bayesnf:Forecast"
                + "&DataInputs=model=" + model + ";outputBBOX=-10,52,-6,55,EPSG:4326;outputWidth=8;outputHeight=8;"
                + "quantiles=0.1,0.5,0.9,0.95&RawDataOutput=result");
        assertEquals(200, kvpBox.statusCode(), new String(kvpBox.body(), StandardCharsets.UTF_8));
        assertEquals('I', kvpBox.body()[0]);
    }

    @Test
    void forecastAsReferenceAndRawGeoTiff() throws Exception {
        String inputs = lit("model", model) + input("outputBBOX", "<wps:BoundingBoxData crs=\"EPSG:4326\" dimensions=\"2\">"
                + "<ows:LowerCorner>-10.5 51.4</ows:LowerCorner><ows:UpperCorner>-5.9 55.4</ows:UpperCorner>"
                + "</wps:BoundingBoxData>") + lit("outputWidth", "20") + lit("outputHeight", "16")
                + lit("time", "1979-01-01") + lit("time", "1979-01-02");
        String doc = post(execute("bayesnf:Forecast", inputs, "<wps:ResponseForm><wps:ResponseDocument lineage=\"true\">"
                + "<wps:Output asReference=\"true\" mimeType=\"image/tiff\"><ows:Identifier>result</ows:Identifier></wps:Output>"
                + "<wps:Output><ows:Identifier>layer</ows:Identifier></wps:Output>"
                + "</wps:ResponseDocument></wps:ResponseForm>"));
        Matcher m = Pattern.compile("href=\"([^\"]+forecast.tif)\"").matcher(doc);
        assertTrue(m.find(), doc);
        assertTrue(doc.contains("<wps:DataInputs>") && doc.contains("<wps:OutputDefinitions>"), "lineage: " + doc);
        assertTrue(doc.contains(">bayesnf:"), "layer name: " + doc);
        HttpResponse<byte[]> tif = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, tif.statusCode());
        assertEquals('I', tif.body()[0]);
        assertEquals('I', tif.body()[1]);
        HttpResponse<byte[]> raw = postBytes(execute("bayesnf:Forecast", inputs,
                "<wps:ResponseForm><wps:RawDataOutput mimeType=\"image/tiff; subtype=geotiff\">"
                        + "<ows:Identifier>result</ows:Identifier></wps:RawDataOutput></wps:ResponseForm>"));
        assertEquals(200, raw.statusCode());
        assertEquals("image/tiff; subtype=geotiff", raw.headers().firstValue("Content-Type").orElse(""));
        Path f = dir.resolve("raw.tif");
        Files.write(f, raw.body());
        dev.bayesnf.service.raster.RasterProduct p = dev.bayesnf.service.raster.GeoTiff.read(f);
        assertEquals(List.of("1979-01-01", "1979-01-02"), p.times());
        assertEquals(20, p.grid().width());
    }

    @Test
    void asyncExecutionReportsProgressAndCanBeDismissed() throws Exception {
        String acc = post(execute("echo", lit("value", "slow") + lit("pause", "20"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"true\" status=\"true\">"
                        + "<wps:Output><ows:Identifier>value</ows:Identifier></wps:Output>"
                        + "</wps:ResponseDocument></wps:ResponseForm>"));
        Matcher m = Pattern.compile("statusLocation=\"([^\"]+)\"").matcher(acc);
        assertTrue(m.find(), acc);
        String loc = m.group(1).replace("&amp;", "&");
        assertTrue(loc.startsWith(base + "/wps?"), loc);
        String id = loc.substring(loc.indexOf("executionId=") + 12);
        String st = get(loc.substring(loc.indexOf('?') + 1));
        assertTrue(st.contains("ProcessAccepted") || st.contains("ProcessStarted"), st);
        String dis = get("service=WPS&version=1.0.0&request=Dismiss&executionId=" + id);
        assertTrue(dis.contains("ProcessFailed") && dis.contains("dismissed"), dis);
    }

    @Test
    void statusDocumentReportsPercentCompleted() throws Exception {
        String acc = post(execute("echo", lit("value", "x") + lit("pause", "3"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"true\" status=\"true\"/></wps:ResponseForm>"));
        Matcher m = Pattern.compile("executionId=([0-9a-f-]{36})").matcher(acc);
        assertTrue(m.find(), acc);
        String q = "service=WPS&version=1.0.0&request=GetExecutionStatus&executionId=" + m.group(1);
        boolean sawProgress = false;
        String st = "";
        for (int i = 0; i < 300 && !st.contains("ProcessSucceeded"); i++) {
            st = get(q);
            sawProgress |= st.matches("(?s).*percentCompleted=\"[1-9][0-9]?\".*");
            Thread.sleep(100);
        }
        assertTrue(st.contains("ProcessSucceeded"), st);
        assertTrue(sawProgress, "never saw a percentCompleted between 1 and 99");
    }

    @Test
    void asyncFitSucceeds() throws Exception {
        String csv = TestData.windTail(20);
        String acc = post(execute("bayesnf:Fit", input("data", "<wps:ComplexData mimeType=\"text/csv\"><![CDATA[" + csv
                + "]]></wps:ComplexData>") + lit("target", "wind") + lit("time", "datetime") + lit("freq", "D")
                + lit("width", "8") + lit("ensemble", "1") + lit("epochs", "300"),
                "<wps:ResponseForm><wps:ResponseDocument storeExecuteResponse=\"true\" status=\"true\"/></wps:ResponseForm>"));
        Matcher m = Pattern.compile("executionId=([0-9a-f-]{36})").matcher(acc);
        assertTrue(m.find(), acc);
        String q = "service=WPS&version=1.0.0&request=GetExecutionStatus&executionId=" + m.group(1);
        String st = "";
        // up to 5 minutes: the fit cross-validates twice, and a shared machine may run it slowly
        for (int i = 0; i < 3000 && !st.contains("ProcessSucceeded") && !st.contains("ProcessFailed"); i++) {
            st = get(q);
            Thread.sleep(100);
        }
        assertTrue(st.contains("ProcessSucceeded"), st);
        assertTrue(st.contains("<ows:Identifier>model</ows:Identifier>"), st);
    }

    private void assertException(HttpResponse<byte[]> r, String code) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        OgcSchemas.validateWps(r.body());
        assertTrue(body.contains("ows:ExceptionReport") && body.contains("exceptionCode=\"" + code + "\""), body);
        assertFalse(body.contains("at dev.bayesnf") || body.contains("Exception:"), "no stack traces: " + body);
    }

    @Test
    void badRequestsGetExceptionReports() throws Exception {
        assertException(postBytes("<wps:Execute xmlns:wps=\"http://www.opengis.net/wps/1.0.0\"><unclosed>"),
                "InvalidParameterValue");
        assertException(postBytes("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<wps:Execute xmlns:wps=\"http://www.opengis.net/wps/1.0.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\">"
                + "<ows:Identifier>&xxe;</ows:Identifier></wps:Execute>"), "InvalidParameterValue");
        assertException(getBytes("service=WPS&version=1.0.0&request=Execute&identifier=nope&DataInputs=a=1"),
                "InvalidParameterValue");
        assertException(getBytes("service=WPS&version=1.0.0&request=DescribeProcess&identifier=nope"),
                "InvalidParameterValue");
        assertException(getBytes("service=WPS&version=1.0.0&request=Execute&identifier=echo"), "MissingParameterValue");
        assertException(getBytes("service=WPS&version=1.0.0&request=Execute&identifier=echo&DataInputs=value=a;pause=soon"),
                "InvalidParameterValue");
        assertException(getBytes("service=WPS&version=1.0.0&request=Execute&identifier=bayesnf:Forecast&DataInputs=model="
                + model + ";outputWidth=1000;outputHeight=1000"), "InvalidParameterValue");
        assertException(getBytes("service=WPS&version=2.0.0&request=DescribeProcess&identifier=echo"),
                "VersionNegotiationFailed");
        // the scale chosen by the data needs the cross-validation of residual kriging: refused, naming the input
        HttpResponse<byte[]> auto = postBytes(execute("bayesnf:Fit", input("data", "<wps:ComplexData mimeType=\"text/csv\">"
                + "<![CDATA[" + TestData.windTail(20) + "]]></wps:ComplexData>") + lit("target", "wind")
                + lit("time", "datetime") + lit("freq", "D") + lit("features", "longitude,latitude")
                + lit("targetScaling", "auto") + lit("residualKriging", "no"), ""));
        assertException(auto, "InvalidParameterValue");
        String autoBody = new String(auto.body(), StandardCharsets.UTF_8);
        assertTrue(autoBody.contains("locator=\"targetScaling\"") && autoBody.contains("residual kriging"), autoBody);
        assertException(getBytes("service=WPS&request=Frobnicate"), "OperationNotSupported");
        assertException(getBytes("request=GetCapabilities"), "MissingParameterValue");
        String ref = URLEncoder.encode("http://example.org/data.csv", StandardCharsets.UTF_8);
        assertException(getBytes("service=WPS&version=1.0.0&request=Execute&identifier=bayesnf:Fit"
                + "&DataInputs=data=@xlink:href=" + ref + ";target=wind"), "InvalidParameterValue");
        HttpResponse<byte[]> big = postBytes("<x>" + "a".repeat(5 << 20) + "</x>");
        assertEquals(413, big.statusCode());
        assertException(big, "FileSizeExceeded");
        assertException(postBytes(execute("echo", lit("value", "x"),
                "<wps:ResponseForm><wps:ResponseDocument status=\"true\"/></wps:ResponseForm>")), "InvalidParameterValue");
    }
}
