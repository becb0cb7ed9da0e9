package dev.bayesnf.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.jobs.JobStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts, authentication (Basic and Bearer) and what each role may run, over real HTTP. */
class AccountsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void passwordsAndTokens() throws Exception {
        try (JobStore store = new JobStore(JobStore.h2Url(dir))) {
            Accounts a = new Accounts(store);
            String token = a.add("ana", Role.ANALYST, "correct horse".toCharArray());
            assertTrue(token.startsWith("bnf_") && token.length() > 40, token);
            assertEquals(new Principal("ana", Role.ANALYST), a.authenticate("Bearer " + token, Optional.empty()));
            assertEquals(new Principal("ana", Role.ANALYST), a.authenticate("Basic " + basic("ana", "correct horse"),
                    Optional.empty()));
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate("Basic " + basic("ana", "wrong horse"),
                    Optional.empty()));
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate("Basic " + basic("nobody", "correct horse"),
                    Optional.empty()));
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate("Bearer bnf_forged", Optional.empty()));
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate("Digest x", Optional.empty()));
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate(null, Optional.empty()));
            assertEquals(Principal.anonymous(Role.VIEWER), a.authenticate(null, Optional.of(Role.VIEWER)));
            // only hashes are stored
            JobStore.UserRow row = store.user("ana").orElseThrow();
            assertFalse(row.passwordHash().contains("horse"));
            assertEquals(64, row.tokenHash().length());
            assertFalse(row.tokenHash().contains(token));
            assertThrows(IllegalArgumentException.class, () -> a.add("ana", Role.VIEWER, null));
            assertThrows(IllegalArgumentException.class, () -> a.add("bad name", Role.VIEWER, null));
            assertThrows(IllegalArgumentException.class, () -> a.add("short", Role.VIEWER, "1234".toCharArray()));
            // a token-only account has no password to guess
            String t2 = a.add("tok", Role.VIEWER, null);
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate("Basic " + basic("tok", ""), Optional.empty()));
            assertEquals("tok", a.authenticate("Bearer " + t2, Optional.empty()).name());
            assertTrue(a.remove("tok"));
            assertFalse(a.remove("tok"));
            assertThrows(Accounts.Unauthorized.class, () -> a.authenticate("Bearer " + t2, Optional.empty()));
            assertEquals(1, a.list().size());
        }
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String url, String auth, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (json != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rolesDecideWhatRuns() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            String base = s.config().baseUrl();
            String echo = base + "/ogcapi/processes/echo/execution";
            String fit = base + "/ogcapi/processes/bayesnf:Fit/execution";
            // no account yet: open, as before accounts
            assertEquals(Optional.of(Role.ADMIN), s.anonymousRole());
            assertEquals(200, send(echo, null, "{\"inputs\":{\"value\":\"open\"}}").statusCode());

            String analyst = "Bearer " + s.accounts().add("ana", Role.ANALYST, null);
            String forecaster = "Basic " + basic("fc", "forecasts only");
            s.accounts().add("fc", Role.FORECASTER, "forecasts only".toCharArray());
            String viewer = "Bearer " + s.accounts().add("view", Role.VIEWER, null);
            assertEquals(Optional.empty(), s.anonymousRole());

            // without credentials: 401 with the schemes, in each protocol's format
            HttpResponse<String> anon = send(echo, null, "{\"inputs\":{\"value\":\"x\"}}");
            assertEquals(401, anon.statusCode());
            assertTrue(anon.headers().firstValue("WWW-Authenticate").orElse("").contains("Bearer"), anon.headers().toString());
            assertTrue(anon.body().contains("\"status\":401"), anon.body());
            HttpResponse<String> wpsAnon = send(base + "/wps?service=WPS&request=GetCapabilities", null, null);
            assertEquals(401, wpsAnon.statusCode());
            assertTrue(wpsAnon.body().contains("ows:ExceptionReport"), wpsAnon.body());
            assertEquals(401, send(echo, "Bearer bnf_forged", "{\"inputs\":{\"value\":\"x\"}}").statusCode());

            // viewer: maps and descriptions, no processes
            assertEquals(200, send(base + "/wms?service=WMS&request=GetCapabilities", viewer, null).statusCode());
            HttpResponse<String> vx = send(echo, viewer, "{\"inputs\":{\"value\":\"x\"}}");
            assertEquals(403, vx.statusCode(), vx.body());
            assertTrue(vx.body().contains("user 'view' (viewer) may not run echo"), vx.body());
            HttpResponse<String> vw = send(base + "/wps?service=WPS&version=1.0.0&request=Execute&identifier=echo"
                    + "&DataInputs=value=x", viewer, null);
            assertEquals(403, vw.statusCode());
            assertTrue(vw.body().contains("may not run echo"), vw.body());

            // forecaster: everything but Fit
            assertEquals(200, send(echo, forecaster, "{\"inputs\":{\"value\":\"fc\"}}").statusCode());
            HttpResponse<String> ff = send(fit, forecaster, "{\"inputs\":{\"target\":\"v\"}}");
            assertEquals(403, ff.statusCode(), ff.body());
            assertEquals(401, send(echo, "Basic " + basic("fc", "wrong password"), "{\"inputs\":{\"value\":\"x\"}}")
                    .statusCode());

            // analyst: Fit too (refused here for its inputs, not its role)
            HttpResponse<String> af = send(fit, analyst, "{\"inputs\":{\"target\":\"v\"}}");
            assertEquals(400, af.statusCode(), af.body());

            // a job is seen and dismissed by its owner (or an admin), not by another account
            HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(echo)).header("Authorization",
                    forecaster).header("Content-Type", "application/json").header("Prefer", "respond-async")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":{\"value\":\"mine\",\"pause\":5}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, job.statusCode(), job.body());
            String location = job.headers().firstValue("Location").orElseThrow();
            String id = location.substring(location.lastIndexOf('/') + 1);
            String admin = "Bearer " + s.accounts().add("root", Role.ADMIN, null);
            assertEquals(200, send(location, forecaster, null).statusCode());
            assertEquals(200, send(location, admin, null).statusCode());
            assertEquals(404, send(location, analyst, null).statusCode());
            assertTrue(send(base + "/ogcapi/jobs", forecaster, null).body().contains(id));
            assertTrue(send(base + "/ogcapi/jobs", admin, null).body().contains(id));
            assertFalse(send(base + "/ogcapi/jobs", analyst, null).body().contains(id));
            HttpResponse<String> wpsStatus = send(base + "/wps?service=WPS&version=1.0.0&request=GetExecutionStatus"
                    + "&executionId=" + id, analyst, null);
            assertTrue(wpsStatus.body().contains("no job"), wpsStatus.body());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(location)).header("Authorization",
                    analyst).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode(), other.body());
            HttpResponse<String> viewerDelete = http.send(HttpRequest.newBuilder(URI.create(location))
                    .header("Authorization", viewer).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, viewerDelete.statusCode());
            HttpResponse<String> own = http.send(HttpRequest.newBuilder(URI.create(location)).header("Authorization",
                    forecaster).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, own.statusCode(), own.body());

            // results likewise: the owner's, not another account's
            HttpResponse<String> quick = send(echo, forecaster, "{\"inputs\":{\"value\":\"result\"}}");
            assertEquals(200, quick.statusCode(), quick.body());
            String monitor = quick.headers().firstValue("Link").orElseThrow().replaceAll("^<(.*)>; rel=monitor$", "$1");
            assertEquals("result", send(monitor + "/results", forecaster, null).body());
            assertEquals(404, send(monitor + "/results", analyst, null).statusCode());

            // a model (and the layers made from it) is its owner's: another account cannot use it
            StringBuilder csv = new StringBuilder("longitude,latitude,v\\n");
            for (int i = 0; i < 20; i++) {
                csv.append(i % 5).append(',').append(i / 5).append(',').append(Math.sin(i)).append("\\n");
            }
            HttpResponse<String> fitted = send(fit, analyst, "{\"inputs\":{\"data\":{\"value\":\"" + csv
                    + "\",\"mediaType\":\"text/csv\"},\"target\":\"v\",\"epochs\":2,\"ensemble\":1,\"width\":4},"
                    + "\"response\":\"document\"}");
            assertEquals(200, fitted.statusCode(), fitted.body());
            String model = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fitted.body()).at("/model/value")
                    .asText();
            String predict = base + "/ogcapi/processes/bayesnf:Predict/execution";
            String points = "{\"inputs\":{\"model\":\"" + model + "\",\"points\":{\"value\":\"longitude,latitude\\n1,1\\n\","
                    + "\"mediaType\":\"text/csv\"}}}";
            assertEquals(200, send(predict, analyst, points).statusCode());
            HttpResponse<String> foreign = send(predict, forecaster, points);
            assertEquals(400, foreign.statusCode(), foreign.body());
            assertTrue(foreign.body().contains("no stored model with id '" + model + "'"), foreign.body());
            assertEquals(200, send(predict, admin, points).statusCode());
            HttpResponse<String> map = send(base + "/ogcapi/processes/bayesnf:Interpolate/execution", analyst,
                    "{\"inputs\":{\"model\":\"" + model + "\",\"outputBBOX\":{\"bbox\":[0,0,4,3]},\"outputWidth\":8,"
                            + "\"outputHeight\":6},\"response\":\"document\"}");
            assertEquals(200, map.statusCode(), map.body());
            String layer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(map.body()).at("/layer/value").asText();
            String caps = base + "/wms?service=WMS&request=GetCapabilities";
            assertTrue(send(caps, analyst, null).body().contains(layer), layer);
            assertFalse(send(caps, forecaster, null).body().contains(layer), layer);
            assertTrue(send(caps, admin, null).body().contains(layer), layer);
        }
    }

    @Test
    void anonymousViewerSeesButDoesNotRun() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false)
                .withAnonymous("viewer"))) {
            String base = s.config().baseUrl();
            assertEquals(200, send(base + "/ogcapi/processes", null, null).statusCode());
            HttpResponse<String> r = send(base + "/ogcapi/processes/echo/execution", null, "{\"inputs\":{\"value\":\"x\"}}");
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("an anonymous caller from 127.0.0.1 (viewer) may not run echo"), r.body());
        }
        assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults(dir, 0).withAnonymous("guest"));
    }

    @Test
    void oneCallerCannotTakeTheWholeQueue() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false)
                .withMaxJobsPerCaller(2))) {
            var jobs = s.jobs();
            var slow = slowEcho();
            Principal fc = new Principal("fc", Role.FORECASTER);
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ids.add(Principal.runAs(fc, () -> submit(jobs, slow)));
            }
            dev.bayesnf.service.process.ProcessException e = assertThrows(
                    dev.bayesnf.service.process.ProcessException.class, () -> Principal.runAs(fc, () -> submit(jobs, slow)));
            assertEquals(dev.bayesnf.service.process.ProcessException.Code.TOO_MANY_JOBS, e.code());
            assertTrue(e.getMessage().contains("user 'fc' has 2 jobs queued or running"), e.getMessage());
            // another account, and the service itself, still get in
            ids.add(Principal.runAs(new Principal("ana", Role.ANALYST), () -> submit(jobs, slow)));
            ids.add(submit(jobs, slow));
            dismissAll(jobs, ids);
        }
    }

    /**
     * Anonymous callers are counted per address: one address at its limit of jobs does not keep
     * another out.
     */
    @Test
    void anonymousCallersAreLimitedPerAddress() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false)
                .withMaxJobsPerCaller(1))) {
            var jobs = s.jobs();
            var slow = slowEcho();
            Principal a = Principal.anonymous(Role.ADMIN).from("192.0.2.1");
            Principal b = Principal.anonymous(Role.ADMIN).from("192.0.2.2");
            java.util.List<String> ids = new java.util.ArrayList<>();
            ids.add(Principal.runAs(a, () -> submit(jobs, slow)));
            var e = assertThrows(dev.bayesnf.service.process.ProcessException.class,
                    () -> Principal.runAs(a, () -> submit(jobs, slow)));
            assertTrue(e.getMessage().contains("an anonymous caller from 192.0.2.1 has 1 jobs"), e.getMessage());
            ids.add(Principal.runAs(b, () -> submit(jobs, slow)));
            dismissAll(jobs, ids);
        }
    }

    /**
     * Execute requests beyond the rate one caller may make are refused with 429 and Retry-After,
     * as a problem document and as a WPS exception report; another caller still gets in.
     */
    @Test
    void executeRequestsAreRateLimitedPerCaller() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false)
                .withMaxExecutesPerMinute(3))) {
            String base = s.config().baseUrl();
            String echo = base + "/ogcapi/processes/echo/execution";
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(echo, null, "{\"inputs\":{\"value\":\"r" + i + "\"}}").statusCode());
            }
            HttpResponse<String> over = send(echo, null, "{\"inputs\":{\"value\":\"r4\"}}");
            assertEquals(429, over.statusCode(), over.body());
            long retry = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
            assertTrue(over.body().contains("\"status\":429") && over.body().contains("3 Execute requests in the last"
                    + " minute"), over.body());
            HttpResponse<String> wps = send(base + "/wps?service=WPS&version=1.0.0&request=Execute&identifier=echo"
                    + "&DataInputs=value=x", null, null);
            assertEquals(429, wps.statusCode(), wps.body());
            assertTrue(wps.body().contains("ows:ExceptionReport") && wps.body().contains("ServerBusy"), wps.body());
            assertTrue(wps.headers().firstValue("Retry-After").isPresent());
            // reading is not limited, and an account has a bucket of its own
            assertEquals(200, send(base + "/ogcapi/processes", null, null).statusCode());
            String token = "Bearer " + s.accounts().add("ana", Role.ANALYST, null);
            assertEquals(200, send(echo, token, "{\"inputs\":{\"value\":\"ana\"}}").statusCode());
        }
    }

    /**
     * A caller over its storage quota is refused with NotEnoughStorage until it dismisses finished
     * jobs; another account is not affected.
     */
    @Test
    void storageQuotaPerCaller() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false)
                .withMaxStoragePerCaller(1))) {
            String base = s.config().baseUrl();
            String echo = base + "/ogcapi/processes/echo/execution";
            String token = "Bearer " + s.accounts().add("ana", Role.ANALYST, null);
            HttpResponse<String> first = send(echo, token, "{\"inputs\":{\"value\":\"kept\"}}");
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(s.jobs().storageUsed("ana") > 0);
            HttpResponse<String> over = send(echo, token, "{\"inputs\":{\"value\":\"more\"}}");
            assertEquals(507, over.statusCode(), over.body());
            assertTrue(over.body().contains("NotEnoughStorage") && over.body().contains("user 'ana' stores")
                    && over.body().contains("dismiss finished jobs"), over.body());
            HttpResponse<String> wps = send(base + "/wps?service=WPS&version=1.0.0&request=Execute&identifier=echo"
                    + "&DataInputs=value=x", token, null);
            assertEquals(507, wps.statusCode(), wps.body());
            assertTrue(wps.body().contains("exceptionCode=\"NotEnoughStorage\""), wps.body());
            // another account has its own quota
            String other = "Bearer " + s.accounts().add("bo", Role.ANALYST, null);
            assertEquals(200, send(echo, other, "{\"inputs\":{\"value\":\"bo\"}}").statusCode());
            // dismissing frees the space
            Principal ana = new Principal("ana", Role.ANALYST);
            Principal.runAs(ana, () -> {
                try {
                    for (var j : s.jobs().jobs(0, 100)) {
                        s.jobs().dismiss(j.id());
                    }
                    return null;
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            assertEquals(0, s.jobs().storageUsed("ana"));
            assertEquals(200, send(echo, token, "{\"inputs\":{\"value\":\"again\"}}").statusCode());
        }
    }

    /**
     * What the service fits by itself (the demo) belongs to no account: every caller may use the
     * model; the service's own name cannot be taken by an account.
     */
    @Test
    void theServicesOwnWorkIsShared() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            var jobs = s.jobs();
            StringBuilder csv = new StringBuilder("longitude,latitude,v\n");
            for (int i = 0; i < 20; i++) {
                csv.append(i % 5).append(',').append(i / 5).append(',').append(Math.sin(i)).append('\n');
            }
            java.util.Map<String, java.util.List<dev.bayesnf.service.process.InputValue>> fit = java.util.Map.of(
                    "data", java.util.List.of(new dev.bayesnf.service.process.InputValue.Complex(
                            csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv")),
                    "target", java.util.List.of(new dev.bayesnf.service.process.InputValue.Literal("v")),
                    "epochs", java.util.List.of(new dev.bayesnf.service.process.InputValue.Literal("2")),
                    "ensemble", java.util.List.of(new dev.bayesnf.service.process.InputValue.Literal("1")),
                    "width", java.util.List.of(new dev.bayesnf.service.process.InputValue.Literal("4")));
            var done = jobs.await(jobs.submit("bayesnf:Fit", fit).id(),
                    java.time.Duration.ofSeconds(60));
            assertEquals(dev.bayesnf.service.jobs.JobStatus.SUCCESSFUL, done.status(), done.errorMessage());
            s.accounts().add("ana", Role.ANALYST, null);
            assertEquals(1, Principal.runAs(new Principal("ana", Role.ANALYST), () -> jobs.models().ids()).size());
            assertThrows(IllegalArgumentException.class, () -> s.accounts().add("System", Role.ADMIN, null));
        }
    }

    /** Inputs of an echo job that runs for 20 s. */
    private static java.util.Map<String, java.util.List<dev.bayesnf.service.process.InputValue>> slowEcho() {
        return java.util.Map.of("value", java.util.List.of(new dev.bayesnf.service.process.InputValue.Literal("x")),
                "pause", java.util.List.of(new dev.bayesnf.service.process.InputValue.Literal("20")));
    }

    /** Dismisses the jobs as the service itself. */
    private static void dismissAll(dev.bayesnf.service.jobs.JobManager jobs, java.util.List<String> ids) {
        for (String id : ids) {
            Principal.runAs(Principal.SYSTEM, () -> {
                try {
                    return jobs.dismiss(id);
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
        }
    }

    private static String submit(dev.bayesnf.service.jobs.JobManager jobs,
            java.util.Map<String, java.util.List<dev.bayesnf.service.process.InputValue>> in) {
        try {
            return jobs.submit("echo", in).id();
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
