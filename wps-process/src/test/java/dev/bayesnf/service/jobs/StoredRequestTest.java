package dev.bayesnf.service.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.jobs.StoredRequest.StoredInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored form of a job's request: requests stored by the versions before the typed form
 * (each front end's options under its own keys) load, and the typed form writes them back
 * character for character, so the job store's column, its size limit and the storage counted per
 * account are what they were.
 */
class StoredRequestTest {
    /** A WPS request as the service stored it before the typed form (keys and order as written then). */
    static final String OLD_WPS = "{\"inputs\":{\"data\":[{\"file\":\"data-0.dat\",\"mimeType\":\"text/csv\"}],"
            + "\"target\":[{\"literal\":\"wind\"}],\"remote\":[{\"href\":\"http://data.example.org/a.csv\","
            + "\"mimeType\":null,\"body\":\"cG9zdA==\"},{\"href\":\"http://data.example.org/b.csv\",\"mimeType\":"
            + "\"text/csv\"}],\"outputBBOX\":[{\"crs\":\"EPSG:4326\",\"lower\":[-10.5,51.0],\"upper\":[-5.25,55.5]}]},"
            + "\"formats\":{\"result\":\"image/png\"},\"request\":{\"protocol\":\"wps\",\"lineage\":true,\"outputs\":"
            + "[{\"id\":\"result\",\"mimeType\":\"image/png\",\"asReference\":true},{\"id\":\"model\",\"mimeType\":null,"
            + "\"asReference\":false}]}}";
    /** An OGC API request as stored before. */
    static final String OLD_OGCAPI = "{\"inputs\":{\"value\":[{\"literal\":\"x\"}]},\"formats\":{\"report\":"
            + "\"application/json\"},\"request\":{\"protocol\":\"ogcapi\",\"response\":\"document\",\"outputs\":"
            + "[{\"id\":\"report\",\"mediaType\":\"application/json\",\"reference\":null},{\"id\":\"model\","
            + "\"mediaType\":null,\"reference\":true}]}}";
    /** The service's own (demo) jobs and jobs submitted with nothing asked. */
    static final String OLD_DEMO = "{\"inputs\":{},\"formats\":{},\"request\":{\"protocol\":\"demo\"}}";
    static final String OLD_NONE = "{\"inputs\":{\"value\":[{\"literal\":\"x\"}]},\"formats\":{},\"request\":{}}";

    @Test
    void oldStoredFormsLoadAndAreWrittenBackUnchanged() throws IOException {
        for (String old : List.of(OLD_WPS, OLD_OGCAPI, OLD_DEMO, OLD_NONE)) {
            assertEquals(old, StoredRequest.parse(old).toJson());
        }
    }

    @Test
    void aWpsRequestIsReadWithItsKeyNames() throws IOException {
        StoredRequest r = StoredRequest.parse(OLD_WPS);
        assertEquals(List.of("data", "target", "remote", "outputBBOX"), List.copyOf(r.inputs().keySet()));
        assertEquals(new StoredInput.Document("data-0.dat", "text/csv"), r.inputs().get("data").get(0));
        assertEquals(new StoredInput.Literal("wind"), r.inputs().get("target").get(0));
        StoredInput.Reference post = assertInstanceOf(StoredInput.Reference.class, r.inputs().get("remote").get(0));
        assertNull(post.mimeType());
        assertEquals("post", new String(post.bodyBytes(), StandardCharsets.UTF_8));
        assertNull(((StoredInput.Reference) r.inputs().get("remote").get(1)).bodyBytes());
        StoredInput.Box box = assertInstanceOf(StoredInput.Box.class, r.inputs().get("outputBBOX").get(0));
        assertEquals("EPSG:4326", box.crs());
        assertArrayEquals(new double[] {-10.5, 51}, box.lower());
        assertArrayEquals(new double[] {-5.25, 55.5}, box.upper());
        assertEquals(Map.of("result", "image/png"), r.formats());
        assertEquals(ResponseOptions.wps(true, List.of(new ResponseOptions.Output("result", "image/png", true),
                new ResponseOptions.Output("model", null, false))), r.options());
        assertEquals(r.options(), StoredRequest.parseOptions(OLD_WPS));
    }

    @Test
    void anOgcApiRequestIsReadWithItsKeyNames() throws IOException {
        ResponseOptions o = StoredRequest.parseOptions(OLD_OGCAPI);
        assertEquals(ResponseOptions.Origin.OGCAPI, o.origin());
        assertFalse(o.raw());
        assertEquals(List.of(new ResponseOptions.Output("report", "application/json", null),
                new ResponseOptions.Output("model", null, true)), o.outputs());
        // "response" absent: raw, the standard's default
        assertTrue(StoredRequest.parseOptions("{\"request\":{\"protocol\":\"ogcapi\"}}").raw());
    }

    @Test
    void requestsOfNoFrontEndAskNothing() throws IOException {
        assertEquals(ResponseOptions.SERVICE, StoredRequest.parseOptions(OLD_DEMO));
        assertEquals(ResponseOptions.NONE, StoredRequest.parseOptions(OLD_NONE));
        assertEquals(ResponseOptions.NONE, StoredRequest.parseOptions("{\"inputs\":{}}"));
        assertEquals(ResponseOptions.NONE, StoredRequest.parseOptions("{\"request\":{\"protocol\":\"other\"}}"));
    }

    @Test
    void aTypedRequestIsWrittenInTheStoredShape() {
        Map<String, List<StoredInput>> in = new LinkedHashMap<>();
        in.put("value", List.of(new StoredInput.Literal("x")));
        assertEquals(OLD_OGCAPI, new StoredRequest(in, Map.of("report", "application/json"), ResponseOptions.ogcApi(
                false, List.of(new ResponseOptions.Output("report", "application/json", null),
                        new ResponseOptions.Output("model", null, true)))).toJson());
        assertEquals(OLD_NONE, new StoredRequest(in, Map.of(), ResponseOptions.NONE).toJson());
        assertEquals(OLD_DEMO, new StoredRequest(Map.of(), Map.of(), ResponseOptions.SERVICE).toJson());
    }

    @Test
    void aBoxWithoutCrsStaysWithout() throws IOException {
        String json = new StoredRequest(Map.of("b", List.of(new StoredInput.Box(null, new double[] {0, 1},
                new double[] {2, 3}))), Map.of(), ResponseOptions.NONE).toJson();
        assertTrue(json.contains("{\"crs\":null,\"lower\":[0.0,1.0],\"upper\":[2.0,3.0]}"), json);
        assertNull(((StoredInput.Box) StoredRequest.parse(json).inputs().get("b").get(0)).crs());
    }

    @Test
    void unreadableRequestsAreRefused() {
        assertThrows(IOException.class, () -> StoredRequest.parse("not json"));
        assertThrows(IOException.class, () -> StoredRequest.parse(""));
        IOException e = assertThrows(IOException.class,
                () -> StoredRequest.parse("{\"inputs\":{\"x\":[{\"other\":1}]}}"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
