package dev.bayesnf.service.ogcapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStore;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.EchoProcess;
import dev.bayesnf.service.process.FitProcess;
import dev.bayesnf.service.process.Formats;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.OutputValue;
import dev.bayesnf.service.process.PredictProcess;
import dev.bayesnf.service.process.ProcessContext;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OGC API - Processes 1.0 front end, in process over a real job manager (H2 in a temporary folder)
 * with the echo, Fit and Predict processes and a test process taking every input form.
 */
final class OgcApiProcessesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "https://maps.example.org/bnf";
    private static final String CONF = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/";
    private static final String EXC = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/";

    @TempDir
    Path tmp;

    private JobManager manager;
    private OgcApiProcesses api;

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    private OgcApiProcesses start(Duration syncTimeout) throws Exception {
        ServiceConfig config = ServiceConfig.defaults(tmp, 0).withDemo(false).withBaseUrl(BASE + "/")
                .withJobs(2, Duration.ofHours(1), syncTimeout);
        JobStore store = new JobStore("jdbc:h2:file:" + tmp.resolve("db").resolve("t"));
        manager = new JobManager(config, store, List.of(new EchoProcess(), new FitProcess(config.processLimits()),
                new PredictProcess(config.processLimits()), new FormsProcess()), f -> {
                    throw new java.io.IOException("no rasters in this test");
                });
        api = new OgcApiProcesses(manager, new ReferenceFetcher(config.processLimits()));
        return api;
    }

    private OgcApiProcesses start() throws Exception {
        return start(Duration.ofSeconds(60));
    }

    // ------------------------------------------------------------------ helpers

    private HttpReply get(String path) {
        int q = path.indexOf('?');
        return api.handle("GET", q < 0 ? path : path.substring(0, q), Kvp.parse(q < 0 ? null : path.substring(q + 1)),
                h -> null, new byte[0]);
    }

    private HttpReply post(String path, String body, boolean async) {
        return api.handle("POST", path, Kvp.parse(null),
                h -> async && h.equalsIgnoreCase("Prefer") ? "respond-async" : null,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpReply r) throws Exception {
        assertTrue(r.contentType().startsWith("application/json"), "content type " + r.contentType());
        return JSON.readTree(r.body());
    }

    private static String text(HttpReply r) {
        try {
            return r.body() != null ? new String(r.body(), StandardCharsets.UTF_8) : Files.readString(r.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String q(String s) {
        return s.replace('\'', '"');
    }

    /** The exception document of an error reply, with its status and type checked. */
    private static JsonNode problem(HttpReply r, int status, String type) throws Exception {
        assertEquals(status, r.status(), () -> new String(r.body(), StandardCharsets.UTF_8));
        JsonNode p = json(r);
        assertEquals(type, p.path("type").asText());
        assertEquals(status, p.path("status").asInt());
        assertFalse(p.path("title").asText().isEmpty());
        assertFalse(p.path("detail").asText().isEmpty());
        assertFalse(p.toString().contains("\tat "), "no stack trace");
        return p;
    }

    private JsonNode poll(String jobUrl, String until) throws Exception {
        String path = jobUrl.substring((BASE + "/ogcapi").length());
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            JsonNode s = json(get(path));
            if (s.path("status").asText().equals(until)) {
                return s;
            }
            if (List.of("successful", "failed", "dismissed").contains(s.path("status").asText())) {
                fail("job ended " + s);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job did not become " + until);
    }

    /** Validates a document against a schema of the service's own OpenAPI definition. */
    private List<String> violations(String schemaName, JsonNode doc) throws Exception {
        JsonNode openApi = JSON.readTree(get("/api").body());
        // the OpenAPI schemas as JSON Schema definitions, their references rewritten to match
        String defs = openApi.at("/components/schemas").toString().replace("#/components/schemas/", "#/$defs/");
        String root = "{\"$ref\":\"#/$defs/" + schemaName + "\",\"$defs\":" + defs + "}";
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(root, InputFormat.JSON);
        return schema.validate(doc.toString(), InputFormat.JSON).stream().map(e -> e.toString()).toList();
    }

    private void assertValid(String schemaName, JsonNode doc) throws Exception {
        List<String> v = violations(schemaName, doc);
        assertTrue(v.isEmpty(), schemaName + ": " + v + "\n" + doc);
    }

    private static List<String> schemaErrors(JsonNode schema, String value) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schema.toString(), InputFormat.JSON).validate(value, InputFormat.JSON).stream()
                .map(e -> e.toString()).toList();
    }

    private static JsonNode link(JsonNode doc, String rel) {
        for (JsonNode l : doc.path("links")) {
            if (l.path("rel").asText().equals(rel)) {
                return l;
            }
        }
        throw new AssertionError("no link rel=" + rel + " in " + doc);
    }

    // ------------------------------------------------------------------ capabilities

    @Test
    void testLandingPageLinksAreAbsolute() throws Exception {
        start();
        for (String path : new String[] {"", "/"}) {
            HttpReply r = get(path);
            assertEquals(200, r.status());
            JsonNode doc = json(r);
            assertValid("landingPage", doc);
            for (JsonNode l : doc.get("links")) {
                assertTrue(l.path("href").asText().startsWith(BASE + "/ogcapi"), l.toString());
            }
            assertEquals(BASE + "/ogcapi/api", link(doc, "service-desc").path("href").asText());
            assertEquals("application/vnd.oai.openapi+json;version=3.0", link(doc, "service-desc").path("type").asText());
            assertNotNull(link(doc, "service-doc"));
            assertEquals(BASE + "/ogcapi/conformance",
                    link(doc, "http://www.opengis.net/def/rel/ogc/1.0/conformance").path("href").asText());
            assertEquals(BASE + "/ogcapi/processes",
                    link(doc, "http://www.opengis.net/def/rel/ogc/1.0/processes").path("href").asText());
            assertEquals(BASE + "/ogcapi/jobs",
                    link(doc, "http://www.opengis.net/def/rel/ogc/1.0/job-list").path("href").asText());
        }
        HttpReply html = get("/api.html");
        assertEquals(200, html.status());
        assertTrue(text(html).contains(BASE + "/ogcapi/processes/bayesnf:Fit"));
    }

    @Test
    void testConformanceClaimsOnlyImplementedClasses() throws Exception {
        start();
        JsonNode doc = json(get("/conformance"));
        assertValid("confClasses", doc);
        List<String> claimed = new ArrayList<>();
        doc.get("conformsTo").forEach(c -> claimed.add(c.asText()));
        assertEquals(List.of(CONF + "core", CONF + "ogc-process-description", CONF + "json", CONF + "job-list",
                CONF + "dismiss", CONF + "oas30"), claimed);
        assertFalse(claimed.contains(CONF + "html"));
        assertFalse(claimed.contains(CONF + "callback"));
    }

    @Test
    void testOpenApiDocumentIsConsistent() throws Exception {
        start();
        HttpReply r = get("/api");
        assertEquals(200, r.status());
        assertEquals("application/vnd.oai.openapi+json;version=3.0", r.contentType());
        JsonNode doc = JSON.readTree(r.body());
        assertTrue(doc.path("openapi").asText().matches("3\\.0\\.\\d+"), doc.path("openapi").asText());
        assertEquals(BASE + "/ogcapi", doc.at("/servers/0/url").asText());
        JsonNode paths = doc.get("paths");
        for (String p : new String[] {"/", "/conformance", "/api", "/processes", "/processes/{processID}",
            "/processes/{processID}/execution", "/jobs", "/jobs/{jobId}", "/jobs/{jobId}/results"}) {
            assertTrue(paths.has(p), "path " + p);
        }
        // the operation ids the OGC test suite looks up
        List<String> ids = new ArrayList<>();
        paths.forEach(item -> item.forEach(op -> {
            if (op.has("operationId")) {
                ids.add(op.get("operationId").asText());
            }
        }));
        for (String id : new String[] {"getLandingPage", "getConformanceClasses", "getProcesses",
            "getProcessDescription", "execute", "getJobs", "getStatus", "dismiss", "getResult"}) {
            assertTrue(ids.contains(id), "operationId " + id);
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "operation ids are unique");
        // every operation has responses; every path parameter is declared; every $ref resolves
        paths.properties().forEach(e -> e.getValue().properties().forEach(op -> {
            if (op.getKey().equals("parameters")) {
                return;
            }
            assertTrue(op.getValue().has("responses"), e.getKey() + " " + op.getKey());
        }));
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertFalse(doc.at(ref.substring(1)).isMissingNode(), "unresolved $ref " + ref);
        }
    }

    private static void collectRefs(JsonNode n, List<String> refs) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            }
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, refs));
        }
    }

    // ------------------------------------------------------------------ processes

    @Test
    void testProcessListAndLimit() throws Exception {
        start();
        JsonNode doc = json(get("/processes"));
        assertValid("processList", doc);
        List<String> ids = new ArrayList<>();
        doc.get("processes").forEach(p -> ids.add(p.get("id").asText()));
        assertEquals(List.of("echo", "bayesnf:Fit", "bayesnf:Predict", "test:Forms"), ids);
        JsonNode fit = doc.get("processes").get(1);
        assertEquals("1.0.0", fit.get("version").asText());
        assertFalse(fit.get("title").asText().isEmpty());
        assertFalse(fit.get("description").asText().isEmpty());
        assertEquals("[\"sync-execute\",\"async-execute\",\"dismiss\"]", fit.get("jobControlOptions").toString());
        assertEquals("[\"value\",\"reference\"]", fit.get("outputTransmission").toString());
        assertEquals(BASE + "/ogcapi/processes/bayesnf:Fit", link(fit, "self").get("href").asText());
        assertEquals(BASE + "/ogcapi/processes/bayesnf:Fit/execution",
                link(fit, "http://www.opengis.net/def/rel/ogc/1.0/execute").get("href").asText());

        JsonNode one = json(get("/processes?limit=1"));
        assertEquals(1, one.get("processes").size());
        String next = link(one, "next").get("href").asText();
        assertTrue(next.startsWith(BASE + "/ogcapi/processes?"), next);
        JsonNode second = json(get(next.substring((BASE + "/ogcapi").length())));
        assertEquals("bayesnf:Fit", second.at("/processes/0/id").asText());
        assertEquals(4, json(get("/processes?limit=100000")).get("processes").size());
        JsonNode bad = problem(get("/processes?limit=abc"), 400, "InvalidParameterValue");
        assertEquals("limit", bad.get("locator").asText());
        problem(get("/processes?limit=0"), 400, "InvalidParameterValue");
    }

    @Test
    void testProcessDescriptionsMatchTheSchema() throws Exception {
        start();
        for (String id : new String[] {"echo", "bayesnf:Fit", "bayesnf:Predict", "test:Forms"}) {
            JsonNode d = json(get("/processes/" + id));
            assertValid("process", d);
            assertEquals(id, d.get("id").asText());
            d.get("inputs").forEach(in -> {
                assertTrue(in.has("title") && in.has("description") && in.has("minOccurs") && in.has("maxOccurs"), in.toString());
                // each input schema is itself a usable JSON Schema
                SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(in.get("schema").toString(), InputFormat.JSON);
            });
        }
        JsonNode echo = json(get("/processes/echo"));
        assertEquals("{\"type\":\"string\"}", echo.at("/inputs/value/schema").toString());
        assertEquals(1, echo.at("/inputs/value/minOccurs").asInt());
        JsonNode pause = echo.at("/inputs/pause");
        assertEquals(0, pause.get("minOccurs").asInt());
        assertEquals("{\"type\":\"integer\",\"minimum\":0,\"maximum\":60}", pause.get("schema").toString());
        assertTrue(pause.get("description").asText().contains("Unit: s"));
        assertEquals("{\"type\":\"string\"}", echo.at("/outputs/value/schema").toString());

        JsonNode fit = json(get("/processes/bayesnf:Fit"));
        JsonNode epochs = fit.at("/inputs/epochs/schema");
        assertEquals("integer", epochs.get("type").asText());
        // no fixed number: a client that leaves the epochs out gets the rule's, scaled to the data
        assertFalse(epochs.has("default"), epochs.toString());
        assertEquals(0, fit.at("/inputs/epochs/minOccurs").asInt());
        assertTrue(fit.at("/inputs/epochs/description").asText().contains("scaled to the data"));
        assertEquals(1, epochs.get("minimum").asInt());
        for (String scaled : List.of("ensemble", "batch", "width", "depth")) {
            assertFalse(fit.at("/inputs/" + scaled + "/schema").has("default"), scaled);
            assertTrue(fit.at("/inputs/" + scaled + "/description").asText().contains("scaled to the data"), scaled);
        }
        JsonNode folds = fit.at("/inputs/cvFolds/schema");
        assertEquals(5, folds.get("default").asInt());
        assertTrue(folds.get("default").isIntegralNumber());
        assertEquals("[\"map\",\"mle\",\"vi\"]", fit.at("/inputs/estimator/schema/enum").toString());
        assertEquals("number", fit.at("/inputs/lr/schema/type").asText());
        assertEquals(64, fit.at("/inputs/features/maxOccurs").asInt());
        JsonNode data = fit.at("/inputs/data/schema/oneOf");
        // CSV, GeoJSON, JSON, and the binary GeoPackage and zipped shapefile
        assertEquals(5, data.size());
        assertEquals("{\"type\":\"string\",\"contentMediaType\":\"text/csv\"}", data.get(0).toString());
        assertEquals("application/geopackage+sqlite3", data.get(3).get("contentMediaType").asText());
        assertEquals("binary", data.get(3).get("contentEncoding").asText());
        assertEquals("application/x-zipped-shp", data.get(4).get("contentMediaType").asText());
        JsonNode modelFile = fit.at("/outputs/modelFile/schema/oneOf/0");
        assertEquals("binary", modelFile.get("contentEncoding").asText());
        assertEquals("application/x-bayesnf-model", modelFile.get("contentMediaType").asText());
        assertEquals("{\"type\":\"string\"}", fit.at("/outputs/model/schema").toString());

        JsonNode area = json(get("/processes/test:Forms")).at("/inputs/area/schema");
        assertEquals("object", area.get("type").asText());
        assertEquals("[\"bbox\"]", area.get("required").toString());
        assertEquals("[\"http://www.opengis.net/def/crs/EPSG/0/4326\",\"http://www.opengis.net/def/crs/OGC/1.3/CRS84\"]",
                area.at("/properties/crs/enum").toString());
        assertEquals("http://www.opengis.net/def/crs/OGC/1.3/CRS84", area.at("/properties/crs/default").asText());
    }

    @Test
    void testInputSchemasAcceptAndRefuseValues() throws Exception {
        start();
        JsonNode echo = json(get("/processes/echo"));
        JsonNode pause = echo.at("/inputs/pause/schema");
        assertTrue(schemaErrors(pause, "5").isEmpty());
        assertFalse(schemaErrors(pause, "61").isEmpty());
        assertFalse(schemaErrors(pause, "\"x\"").isEmpty());
        JsonNode estimator = json(get("/processes/bayesnf:Fit")).at("/inputs/estimator/schema");
        assertTrue(schemaErrors(estimator, "\"vi\"").isEmpty());
        assertFalse(schemaErrors(estimator, "\"sgd\"").isEmpty());
        JsonNode area = json(get("/processes/test:Forms")).at("/inputs/area/schema");
        assertTrue(schemaErrors(area, q("{'bbox':[1,2,3,4],'crs':'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}")).isEmpty());
        assertFalse(schemaErrors(area, q("{'bbox':[1,2,3]}")).isEmpty());
    }

    @Test
    void testProcessIdMayBeUrlEncoded() throws Exception {
        start();
        assertEquals("bayesnf:Fit", json(get("/processes/bayesnf%3AFit")).get("id").asText());
        assertEquals("bayesnf:Fit", json(get("/processes/bayesnf%3aFit/")).get("id").asText());
        HttpReply r = post("/processes/test%3AForms/execution", q("{'inputs':{'area':{'bbox':[1,2,3,4]}}}"), false);
        assertEquals(200, r.status(), () -> text(r));
    }

    // ------------------------------------------------------------------ execution

    @Test
    void testSyncEchoRawAndDocument() throws Exception {
        start();
        HttpReply raw = post("/processes/echo/execution", q("{'inputs':{'value':'hello'}}"), false);
        assertEquals(200, raw.status());
        assertTrue(raw.contentType().startsWith("text/plain"));
        assertEquals("hello", text(raw));
        String monitor = raw.headers().get("Link");
        assertTrue(monitor.matches("<" + BASE + "/ogcapi/jobs/[0-9a-f-]{36}>; rel=monitor"), monitor);

        HttpReply doc = post("/processes/echo/execution", q("{'inputs':{'value':'hello','pause':0},"
                + "'outputs':{'value':{'transmissionMode':'value'}},'response':'document'}"), false);
        assertEquals(200, doc.status());
        JsonNode results = json(doc);
        assertValid("results", results);
        assertEquals("{\"value\":{\"value\":\"hello\"}}", results.toString());

        // the job created for a synchronous execution is reported as successful
        String job = monitor.substring(1, monitor.indexOf('>'));
        JsonNode status = json(get(job.substring((BASE + "/ogcapi").length())));
        assertEquals("successful", status.get("status").asText());
        assertValid("statusInfo", status);
    }

    @Test
    void testAsyncEchoWithPause() throws Exception {
        start();
        HttpReply r = post("/processes/echo/execution", q("{'inputs':{'value':'later','pause':2}}"), true);
        assertEquals(201, r.status());
        assertEquals("respond-async", r.headers().get("Preference-Applied"));
        String location = r.headers().get("Location");
        assertTrue(location.matches(BASE + "/ogcapi/jobs/[0-9a-f-]{36}"), location);
        JsonNode info = json(r);
        assertValid("statusInfo", info);
        assertEquals("echo", info.get("processID").asText());
        assertEquals("process", info.get("type").asText());
        assertTrue(List.of("accepted", "running").contains(info.get("status").asText()));
        assertEquals(location, link(info, "monitor").get("href").asText());
        String jobPath = location.substring((BASE + "/ogcapi").length());

        // results while the job runs: 404 result-not-ready
        poll(location, "running");
        problem(get(jobPath + "/results"), 404, EXC + "result-not-ready");
        JsonNode running = json(get(jobPath));
        assertValid("statusInfo", running);
        assertTrue(running.has("started"));
        assertFalse(running.has("finished"));

        JsonNode done = poll(location, "successful");
        assertValid("statusInfo", done);
        assertEquals(100, done.get("progress").asInt());
        for (String t : new String[] {"created", "started", "finished", "updated"}) {
            java.time.OffsetDateTime.parse(done.get(t).asText()); // RFC 3339
        }
        String results = link(done, "http://www.opengis.net/def/rel/ogc/1.0/results").get("href").asText();
        assertEquals(location + "/results", results);
        // no 'response' in the request: raw, the standard's default
        HttpReply raw = get(jobPath + "/results");
        assertEquals(200, raw.status());
        assertEquals("later", text(raw));

        // response=document asked at execution time: the results document
        HttpReply r2 = post("/processes/echo/execution", q("{'inputs':{'value':'doc'},'response':'document'}"), true);
        String loc2 = r2.headers().get("Location");
        poll(loc2, "successful");
        JsonNode doc = json(get(loc2.substring((BASE + "/ogcapi").length()) + "/results"));
        assertValid("results", doc);
        assertEquals("doc", doc.at("/value/value").asText());

        // the job list shows both, newest first, with working filters and limits
        JsonNode list = json(get("/jobs"));
        assertValid("jobList", list);
        assertEquals(2, list.get("jobs").size());
        assertEquals(loc2, link(list.at("/jobs/0"), "self").get("href").asText());
        assertEquals(1, json(get("/jobs?limit=1")).get("jobs").size());
        assertNotNull(link(json(get("/jobs?limit=1")), "next"));
        assertEquals(2, json(get("/jobs?processID=echo&status=successful")).get("jobs").size());
        assertEquals(0, json(get("/jobs?processID=bayesnf:Fit")).get("jobs").size());
        assertEquals(0, json(get("/jobs?status=failed,dismissed")).get("jobs").size());
        assertEquals(1, json(get("/jobs?minDuration=1.5")).get("jobs").size());
        assertEquals(2, json(get("/jobs?datetime=2020-01-01T00:00:00Z/..")).get("jobs").size());
        assertEquals(0, json(get("/jobs?datetime=../2020-01-01T00:00:00Z")).get("jobs").size());
        assertEquals(0, json(get("/jobs?type=other")).get("jobs").size());
        problem(get("/jobs?status=done"), 400, "InvalidParameterValue");
        problem(get("/jobs?datetime=yesterday"), 400, "InvalidParameterValue");
    }

    @Test
    void testDismissRunningJob() throws Exception {
        start();
        HttpReply r = post("/processes/echo/execution", q("{'inputs':{'value':'x','pause':30}}"), true);
        String location = r.headers().get("Location");
        String path = location.substring((BASE + "/ogcapi").length());
        poll(location, "running");
        HttpReply d = api.handle("DELETE", path, Kvp.parse(null), h -> null, new byte[0]);
        assertEquals(200, d.status());
        JsonNode info = json(d);
        assertValid("statusInfo", info);
        assertEquals("dismissed", info.get("status").asText());
        assertEquals("dismissed", json(get(path)).get("status").asText());
        problem(get(path + "/results"), 404, EXC + "no-such-job");
        problem(api.handle("DELETE", "/jobs/00000000-0000-0000-0000-000000000000", Kvp.parse(null), h -> null,
                new byte[0]), 404, EXC + "no-such-job");
    }

    @Test
    void testNoSuchProcessAndNoSuchJob() throws Exception {
        start();
        problem(get("/processes/nothing"), 404, EXC + "no-such-process");
        problem(post("/processes/nothing/execution", "{}", false), 404, EXC + "no-such-process");
        problem(get("/jobs/00000000-0000-0000-0000-000000000000"), 404, EXC + "no-such-job");
        problem(get("/jobs/not-a-job"), 404, EXC + "no-such-job");
        problem(get("/jobs/00000000-0000-0000-0000-000000000000/results"), 404, EXC + "no-such-job");
        problem(get("/elsewhere"), 404, "about:blank");
    }

    @Test
    void testWrongMethodAndOversizeBody() throws Exception {
        start();
        HttpReply r = api.handle("DELETE", "/processes", Kvp.parse(null), h -> null, new byte[0]);
        problem(r, 405, "about:blank");
        assertEquals("GET, HEAD", r.headers().get("Allow"));
        HttpReply g = get("/processes/echo/execution");
        problem(g, 405, "about:blank");
        assertEquals("POST", g.headers().get("Allow"));
        assertEquals(200, api.handle("HEAD", "/conformance", Kvp.parse(null), h -> null, new byte[0]).status());
        problem(api.tooLarge(1024), 413, "FileSizeExceeded");
    }

    @Test
    void testModelSettingsAreNamedAsInputs() throws Exception {
        start();
        // the model's own checks name the setting: here as the input, not as a command-line option
        JsonNode p = problem(post("/processes/bayesnf:Fit/execution", q("{'inputs':{'data':{'value':'a,b,c\\n1,2,3\\n',"
                + "'mediaType':'text/csv'},'target':'c','features':['a','b'],'fourierDegrees':['1','2','3']}}"), false),
                400, "InvalidParameterValue");
        assertEquals("fourierDegrees", p.get("locator").asText());
        assertTrue(p.get("detail").asText().startsWith("input 'fourierDegrees' needs 2 values"), p.toString());
        assertFalse(p.toString().contains("--"), p.toString());
    }

    @Test
    void testInvalidInputNamesTheInput() throws Exception {
        start();
        JsonNode p = problem(post("/processes/echo/execution", q("{'inputs':{'value':'x','pause':61}}"), false), 400,
                "InvalidParameterValue");
        assertEquals("pause", p.get("locator").asText());
        assertTrue(p.get("detail").asText().contains("pause"), p.toString());
        assertTrue(p.get("detail").asText().contains("61"), p.toString());
        // the OGC test suite's malformed request: no inputs at all
        JsonNode missing = problem(post("/processes/echo/execution", q("{'invalid-execute-request':'true)'}"), false),
                400, "MissingParameterValue");
        assertEquals("value", missing.get("locator").asText());
        JsonNode unknown = problem(post("/processes/echo/execution", q("{'inputs':{'value':'x','colour':'red'}}"), false),
                400, "InvalidParameterValue");
        assertEquals("colour", unknown.get("locator").asText());
        JsonNode out = problem(post("/processes/echo/execution", q("{'inputs':{'value':'x'},'outputs':{'nope':{}}}"),
                false), 400, "InvalidParameterValue");
        assertEquals("nope", out.get("locator").asText());
        problem(post("/processes/echo/execution", q("{'inputs':{'value':'x'},'response':'pdf'}"), false), 400,
                "InvalidParameterValue");
        JsonNode body = problem(post("/processes/echo/execution", "{not json", false), 400, "InvalidParameterValue");
        assertEquals("body", body.get("locator").asText());
        JsonNode format = problem(post("/processes/bayesnf:Fit/execution",
                q("{'inputs':{'data':{'value':'a,b','mediaType':'image/png'},'target':'b'}}"), false), 400,
                "InvalidParameterValue");
        assertEquals("data", format.get("locator").asText());
        assertTrue(format.get("detail").asText().contains("image/png"));
        // invalid requests leave no job behind
        assertEquals(0, json(get("/jobs")).get("jobs").size());
    }

    @Test
    void testHrefToHostNotOnAllowListIsRefused() throws Exception {
        start();
        JsonNode p = problem(post("/processes/bayesnf:Fit/execution", q("{'inputs':{'data':{'href':"
                + "'http://169.254.169.254/latest/meta-data','type':'text/csv'},'target':'v'}}"), false), 400,
                "InvalidParameterValue");
        assertEquals("data", p.get("locator").asText());
        assertTrue(p.get("detail").asText().contains("allow-list"), p.toString());
        JsonNode lit = problem(post("/processes/echo/execution", q("{'inputs':{'value':{'href':'http://example.org/x'}}}"),
                false), 400, "InvalidParameterValue");
        assertEquals("value", lit.get("locator").asText());
    }

    @Test
    void testInputFormsReachTheProcess() throws Exception {
        start();
        String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});
        String body = q("{'inputs':{"
                + "'area':{'bbox':[51.0,-1.5,52.0,0.5],'crs':'http://www.opengis.net/def/crs/EPSG/0/4326'},"
                + "'image':{'value':'" + png + "','mediaType':'image/tiff'},"
                + "'table':{'type':'FeatureCollection','features':[]},"
                + "'words':['a',{'value':'b'},3,2.0,true]},"
                + "'response':'document'}");
        HttpReply r = post("/processes/test:Forms/execution", body, false);
        assertEquals(200, r.status(), () -> text(r));
        String s = json(r).at("/summary/value").asText();
        assertTrue(s.contains("area=http://www.opengis.net/def/crs/EPSG/0/4326 [51.0, -1.5] [52.0, 0.5]"), s);
        // the process layer reads the URI spelling of EPSG:4326 latitude first
        assertTrue(s.contains("box=EPSG:4326 -1.5 51.0 0.5 52.0"), s);
        assertTrue(s.contains("image=6 bytes image/tiff 89504e47"), s);
        assertTrue(s.contains("table=application/geo+json {\"type\":\"FeatureCollection\",\"features\":[]}"), s);
        assertTrue(s.contains("words=a|b|3|2|true"), s);

        HttpReply crs84 = post("/processes/test:Forms/execution", q("{'inputs':{'area':{'bbox':[-1.5,51,0.5,52]}},"
                + "'response':'document'}"), false);
        String s84 = json(crs84).at("/summary/value").asText();
        assertTrue(s84.contains("area=http://www.opengis.net/def/crs/OGC/1.3/CRS84"), s84);
        assertTrue(s84.contains("box=CRS:84 -1.5 51.0 0.5 52.0"), s84);

        problem(post("/processes/test:Forms/execution", q("{'inputs':{'area':{'bbox':[1,2,3]}}}"), false), 400,
                "InvalidParameterValue");
        problem(post("/processes/test:Forms/execution", q("{'inputs':{'area':[0,0,1,1]}}"), false), 400,
                "InvalidParameterValue");
        JsonNode b64 = problem(post("/processes/test:Forms/execution", q("{'inputs':{'area':{'bbox':[0,0,1,1]},"
                + "'image':{'value':'***','mediaType':'image/tiff'}}}"), false), 400, "InvalidParameterValue");
        assertEquals("image", b64.get("locator").asText());
        JsonNode many = problem(post("/processes/test:Forms/execution", q("{'inputs':{'area':{'bbox':[0,0,1,1]},"
                + "'words':['1','2','3','4','5','6']}}"), false), 400, "InvalidParameterValue");
        assertEquals("words", many.get("locator").asText());
    }

    @Test
    void testSyncTimeoutAnswersLikeAsync() throws Exception {
        start(Duration.ofMillis(300));
        HttpReply r = post("/processes/echo/execution", q("{'inputs':{'value':'slow','pause':2}}"), false);
        assertEquals(201, r.status());
        assertNull(r.headers().get("Preference-Applied"));
        String location = r.headers().get("Location");
        assertValid("statusInfo", json(r));
        poll(location, "successful");
        assertEquals("slow", text(get(location.substring((BASE + "/ogcapi").length()) + "/results")));
    }

    @Test
    void testProblemStatusesFollowTheOwsCode() throws Exception {
        HttpReply busyReply = Problem.of(new dev.bayesnf.service.process.ProcessException(
                dev.bayesnf.service.process.ProcessException.Code.SERVER_BUSY, null, "queue full")).reply();
        JsonNode busy = problem(busyReply, 503, "ServerBusy");
        assertFalse(busy.has("locator"));
        assertEquals("30", busyReply.headers().get("Retry-After"));
        problem(Problem.of(new dev.bayesnf.service.process.ProcessException(
                dev.bayesnf.service.process.ProcessException.Code.FILE_SIZE_EXCEEDED, "data", "too big")).reply(), 413,
                "FileSizeExceeded");
        problem(Problem.ofJobError(null, null, null).reply(), 500, "NoApplicableCode");
    }

    @Test
    void testOverHttp() throws Exception {
        start();
        try (dev.bayesnf.service.http.HttpServer server = new dev.bayesnf.service.http.HttpServer("127.0.0.1", 0,
                1 << 20, Map.of(OgcApiProcesses.MOUNT, api), HttpReply.text(200, "text/plain", "root"))) {
            server.start();
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + server.port() + "/ogcapi";
            java.net.http.HttpResponse<String> d = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/processes/bayesnf%3AFit")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, d.statusCode());
            assertEquals("bayesnf:Fit", JSON.readTree(d.body()).get("id").asText());
            java.net.http.HttpResponse<String> e = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/processes/echo/execution")).header("Prefer", "respond-async, wait=10")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(q("{'inputs':{'value':'hi'}}"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, e.statusCode(), e.body());
            assertTrue(e.headers().firstValue("Location").orElseThrow().startsWith(BASE + "/ogcapi/jobs/"));
            assertEquals("application/json", e.headers().firstValue("Content-Type").orElseThrow());
            java.net.http.HttpResponse<String> big = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/processes/echo/execution"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat((1 << 20) + 10))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(413, big.statusCode());
            assertEquals("FileSizeExceeded", JSON.readTree(big.body()).get("type").asText());
        }
    }

    // ------------------------------------------------------------------ the model processes

    private static String csv(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        StringBuilder b = new StringBuilder("longitude,latitude,v\n");
        for (int i = 0; i < n; i++) {
            double lon = -2 + 4 * rnd.nextDouble();
            double lat = 50 + 2 * rnd.nextDouble();
            b.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", lon, lat, Math.sin(lon) + Math.cos(lat)));
        }
        return b.toString();
    }

    @Test
    void testFitThenPredictByModelId() throws Exception {
        start();
        ObjectNode fit = JSON.createObjectNode();
        ObjectNode in = fit.putObject("inputs");
        in.putObject("data").put("value", csv(36, 1)).put("mediaType", "text/csv");
        in.put("target", "v").put("epochs", 2).put("ensemble", 1).put("width", 4);
        fit.putObject("outputs").putObject("model");
        fit.withObjectProperty("outputs").putObject("report").put("transmissionMode", "reference");
        fit.put("response", "document");
        HttpReply r = post("/processes/bayesnf%3AFit/execution", fit.toString(), false);
        assertEquals(200, r.status(), () -> text(r));
        JsonNode results = json(r);
        assertValid("results", results);
        assertFalse(results.has("modelFile"), "only the outputs asked for");
        String model = results.at("/model/value").asText();
        assertTrue(model.startsWith("m-"), model);
        String report = results.at("/report/href").asText();
        assertTrue(report.matches(BASE + "/results/[0-9a-f-]{36}/report\\.json"), report);
        assertEquals("application/json", results.at("/report/type").asText());

        // the same job's results by value: the JSON report inline
        String job = r.headers().get("Link").replaceAll("^<(.*)>; rel=monitor$", "$1");
        assertTrue(job.startsWith(BASE + "/ogcapi/jobs/"), job);

        ObjectNode predict = JSON.createObjectNode();
        ObjectNode pin = predict.putObject("inputs");
        pin.put("model", model);
        pin.putObject("points").put("value", "longitude,latitude\n0.5,51.0\n-1.0,50.5\n").put("mediaType", "text/csv");
        predict.putObject("outputs").putObject("result").putObject("format").put("mediaType", "text/csv");
        HttpReply p = post("/processes/bayesnf:Predict/execution", predict.toString(), false);
        assertEquals(200, p.status(), () -> text(p));
        assertEquals("text/csv", p.contentType());
        List<String> lines = text(p).lines().collect(Collectors.toList());
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("longitude,latitude,"), lines.get(0));
        assertTrue(lines.get(0).contains("mean"), lines.get(0));

        // raw with several outputs: multipart/related, a document by reference has Content-Location
        fit.put("response", "raw");
        HttpReply multi = post("/processes/bayesnf:Fit/execution", fit.toString(), false);
        assertEquals(200, multi.status(), () -> text(multi));
        assertTrue(multi.contentType().startsWith("multipart/related; boundary="), multi.contentType());
        String parts = text(multi);
        assertTrue(parts.contains("Content-ID: <model>"), parts);
        assertTrue(parts.contains("Content-ID: <report>"), parts);
        assertTrue(parts.contains("Content-Location: " + BASE + "/results/"), parts);

        // an unknown model id is refused before a job is queued, naming the input
        JsonNode bad = problem(post("/processes/bayesnf:Predict/execution", q("{'inputs':{'model':'m-none',"
                + "'points':'longitude,latitude\\n0,51\\n'}}"), false), 400, "InvalidParameterValue");
        assertEquals("model", bad.get("locator").asText());
    }

    @Test
    void testFailedJobReportsItsError() throws Exception {
        start();
        ObjectNode fit = JSON.createObjectNode();
        ObjectNode in = fit.putObject("inputs");
        in.putObject("data").put("value", csv(12, 2)).put("mediaType", "text/csv");
        in.put("target", "no_such_column").put("epochs", 2).put("ensemble", 1).put("width", 4);
        HttpReply r = post("/processes/bayesnf:Fit/execution", fit.toString(), true);
        assertEquals(201, r.status());
        String location = r.headers().get("Location");
        JsonNode failed = poll(location, "failed");
        assertValid("statusInfo", failed);
        assertFalse(failed.get("message").asText().isEmpty());
        JsonNode p = json(get(location.substring((BASE + "/ogcapi").length()) + "/results"));
        // a data error: the process layer's InvalidParameterValue, naming the input, with HTTP 400
        assertEquals(400, p.get("status").asInt(), p.toString());
        assertEquals("InvalidParameterValue", p.get("type").asText(), p.toString());
        assertTrue(p.get("detail").asText().contains("no_such_column"), p.toString());
        assertValid("exception", p);
        // synchronously, the same failure is the answer itself
        HttpReply sync = post("/processes/bayesnf:Fit/execution", fit.toString(), false);
        assertEquals(400, sync.status(), () -> text(sync));
        assertValid("exception", json(sync));
        assertEquals(p.get("detail"), json(sync).get("detail"));
    }

    // ------------------------------------------------------------------ a process with every input form

    /** {@code test:Forms}: describes the input values it received. */
    static final class FormsProcess implements BayesProcess {
        private final ProcessSpec spec = new ProcessSpec("test:Forms", "Input forms", "Reports its inputs", "1.0.0",
                List.of(InputSpec.bbox("area", "EPSG:4326", "CRS:84").title("Area").build(),
                        InputSpec.complex("image", Formats.TIFF).title("Image").optional().build(),
                        InputSpec.complex("table", Formats.CSV, Formats.GEOJSON).title("Table").optional().build(),
                        InputSpec.literal("words", "string").title("Words").optional().repeat(5).build()),
                List.of(OutputSpec.literal("summary", "Summary", "What was received", "string")));

        @Override
        public ProcessSpec spec() {
            return spec;
        }

        @Override
        public Map<String, OutputValue> execute(ProcessInputs in, ProcessContext ctx) {
            StringBuilder b = new StringBuilder();
            InputValue.BoundingBox area = (InputValue.BoundingBox) in.values().get("area").get(0);
            b.append("area=").append(area.crs()).append(' ').append(java.util.Arrays.toString(area.lower())).append(' ')
                    .append(java.util.Arrays.toString(area.upper())).append('\n');
            ProcessInputs.Box box = in.bbox("area").orElseThrow();
            b.append("box=").append(box.crs()).append(' ').append(box.minX()).append(' ').append(box.minY()).append(' ')
                    .append(box.maxX()).append(' ').append(box.maxY()).append('\n');
            in.document("image").ifPresent(c -> {
                b.append("image=").append(c.data().length).append(" bytes ").append(c.mimeType()).append(' ');
                for (int i = 0; i < Math.min(4, c.data().length); i++) {
                    b.append(String.format(Locale.ROOT, "%02x", c.data()[i]));
                }
                b.append('\n');
            });
            in.document("table").ifPresent(c -> b.append("table=").append(c.mimeType()).append(' ')
                    .append(new String(c.data(), StandardCharsets.UTF_8)).append('\n'));
            if (in.has("words")) {
                b.append("words=").append(String.join("|", in.list("words"))).append('\n');
            }
            return Map.of("summary", new OutputValue.Literal(b.toString()));
        }
    }
}
