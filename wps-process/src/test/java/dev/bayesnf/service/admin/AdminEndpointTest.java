package dev.bayesnf.service.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Account administration over real HTTP while the service runs (embedded H2). */
class AdminEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String url, String auth, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(HttpResponse<String> r, int status, String detail) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                r.headers().toString());
        JsonNode p = JSON.readTree(r.body());
        assertEquals(status, p.get("status").asInt(), r.body());
        assertTrue(p.get("detail").asText().contains(detail), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("dev.bayesnf"), r.body());
    }

    @Test
    void accountsManagedWhileTheServiceRuns() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            String users = s.config().baseUrl() + "/admin/users";
            String echo = s.config().baseUrl() + "/ogcapi/processes/echo/execution";
            // a fresh service (no account, anonymous callers open on localhost) can create the first administrator
            assertEquals(200, send("GET", users, null, null).statusCode());
            HttpResponse<String> first = send("POST", users, null,
                    "{\"name\":\"root\",\"role\":\"admin\",\"password\":\"long enough\"}");
            assertEquals(201, first.statusCode(), first.body());
            JsonNode root = JSON.readTree(first.body());
            assertEquals("admin", root.get("role").asText());
            assertTrue(root.get("password").asBoolean());
            assertTrue(root.get("token").asText().startsWith("bnf_"));
            assertEquals("users/root", first.headers().firstValue("Location").orElse(""));
            String admin = "Bearer " + root.get("token").asText();

            // from now on credentials are needed: anonymous callers get 401 with the schemes
            HttpResponse<String> anon = send("GET", users, null, null);
            problem(anon, 401, "credentials");
            assertTrue(anon.headers().firstValue("WWW-Authenticate").orElse("").contains("Basic"));

            // an analyst added over HTTP can work at once, and cannot administer
            HttpResponse<String> added = send("POST", users, admin, "{\"name\":\"ana\",\"role\":\"analyst\"}");
            assertEquals(201, added.statusCode(), added.body());
            JsonNode ana = JSON.readTree(added.body());
            assertFalse(ana.get("password").asBoolean());
            String anaToken = "Bearer " + ana.get("token").asText();
            assertEquals(200, send("POST", echo, anaToken, "{\"inputs\":{\"value\":\"hi\"}}").statusCode());
            problem(send("GET", users, anaToken, null), 403, "user 'ana' (role analyst) may not administer accounts");
            problem(send("POST", users, anaToken, "{\"name\":\"evil\",\"role\":\"admin\"}"), 403, "admin role");

            // listing shows no secret
            HttpResponse<String> list = send("GET", users, basic("root", "long enough"), null);
            assertEquals(200, list.statusCode(), list.body());
            assertEquals("no-store", list.headers().firstValue("Cache-Control").orElse(""));
            JsonNode all = JSON.readTree(list.body()).get("users");
            assertEquals(2, all.size());
            assertEquals("ana", all.get(0).get("name").asText());
            assertFalse(list.body().contains("token") || list.body().contains("$2a$"), list.body());

            // demoted to viewer: no more processes; given a password: Basic works
            HttpResponse<String> patched = send("PATCH", users + "/ana", admin,
                    "{\"role\":\"viewer\",\"password\":\"a new secret\"}");
            assertEquals(200, patched.statusCode(), patched.body());
            assertEquals("viewer", JSON.readTree(patched.body()).get("role").asText());
            assertEquals(403, send("POST", echo, anaToken, "{\"inputs\":{\"value\":\"x\"}}").statusCode());
            assertEquals(200, send("GET", users + "/ana", admin, null).statusCode());
            assertEquals(200, send("GET", s.config().baseUrl() + "/wms?service=WMS&request=GetCapabilities",
                    basic("ana", "a new secret"), null).statusCode());

            // a new token: the old one stops working at once
            HttpResponse<String> renewed = send("POST", users + "/ana/token", admin, null);
            assertEquals(200, renewed.statusCode(), renewed.body());
            String newToken = "Bearer " + JSON.readTree(renewed.body()).get("token").asText();
            assertEquals(401, send("GET", users, anaToken, null).statusCode());
            problem(send("GET", users, newToken, null), 403, "may not administer");

            // bad requests: one clear line each
            problem(send("POST", users, admin, "{\"name\":\"ana\",\"role\":\"viewer\"}"), 400, "already an account 'ana'");
            problem(send("POST", users, admin, "{\"name\":\"x y\",\"role\":\"viewer\"}"), 400, "an account name is");
            problem(send("POST", users, admin, "{\"name\":\"bob\",\"role\":\"king\"}"), 400, "unknown role 'king'");
            problem(send("POST", users, admin, "{\"name\":\"bob\"}"), 400, "member 'role' is missing");
            problem(send("POST", users, admin, "{\"name\":\"bob\",\"role\":\"viewer\",\"password\":\"short\"}"), 400,
                    "at least 8 characters");
            problem(send("POST", users, admin, "{\"name\":\"bob\",\"role\":\"viewer\",\"token\":\"mine\"}"), 400,
                    "unknown member 'token'");
            problem(send("POST", users, admin, "not json"), 400, "not JSON");
            problem(send("POST", users, admin, "[1]"), 400, "JSON object");
            problem(send("PATCH", users + "/nobody", admin, "{\"role\":\"viewer\"}"), 404, "no account 'nobody'");
            problem(send("DELETE", users + "/nobody", admin, null), 404, "no account 'nobody'");
            HttpResponse<String> put = send("PUT", users, admin, "{}");
            problem(put, 405, "allowed: GET, POST");
            assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""));
            problem(send("GET", s.config().baseUrl() + "/admin/other", admin, null), 404, "/admin/users");

            // the last administrator stays
            problem(send("DELETE", users + "/root", admin, null), 409, "last administrator");
            problem(send("PATCH", users + "/root", admin, "{\"role\":\"analyst\"}"), 409, "last administrator");

            assertEquals(204, send("DELETE", users + "/ana", admin, null).statusCode());
            assertEquals(401, send("GET", users, newToken, null).statusCode());
            assertEquals(1, s.accounts().list().size());
        }
    }
}
