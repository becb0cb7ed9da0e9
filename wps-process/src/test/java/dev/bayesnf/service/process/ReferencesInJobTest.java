package dev.bayesnf.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobStatus;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs given by reference are fetched by the job, not while the request is read: the caller has
 * its 201 while the other host has not answered yet, a host that fails makes the job fail with the
 * reason, and a host off the allow-list is refused before any job exists.
 */
class ReferencesInJobTest {
    @TempDir
    Path dir;

    @Test
    void referencesAreFetchedByTheJob() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        StringBuilder csv = new StringBuilder("longitude,latitude,v\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i % 5).append(',').append(i / 5).append(',').append(Math.sin(i)).append('\n');
        }
        byte[] data = csv.toString().getBytes(StandardCharsets.UTF_8);
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/held.csv", ex -> {
            asked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, data.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(data);
            }
        });
        host.createContext("/gone.csv", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        host.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        host.start();
        String at = "127.0.0.1:" + host.getAddress().getPort();
        HttpClient http = HttpClient.newHttpClient();
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false)
                .withAllowedHosts(List.of(at)))) {
            String fit = s.config().baseUrl() + "/ogcapi/processes/bayesnf:Fit/execution";
            String body = "{\"inputs\":{\"data\":{\"href\":\"http://" + at + "/held.csv\",\"type\":\"text/csv\"},"
                    + "\"target\":\"v\",\"epochs\":2,\"ensemble\":1,\"width\":4}}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fit)).header("Prefer",
                    "respond-async").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                    .ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            // answered while the host still holds the document back
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(1, release.getCount());
            String id = r.body().replaceAll("(?s).*\"jobID\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            assertTrue(asked.await(30, TimeUnit.SECONDS), "the job asks the host");
            release.countDown();
            Job done = s.jobs().await(id, Duration.ofSeconds(60));
            assertEquals(JobStatus.SUCCESSFUL, done.status(), done.errorMessage());
            // the stored request keeps the reference, not the document (fetched again after a restart)
            assertTrue(done.request().contains("held.csv"), done.request());

            Job failed = s.jobs().await(s.jobs().submit("bayesnf:Fit", java.util.Map.of("data", List.of(
                    new InputValue.Reference("http://" + at + "/gone.csv", "text/csv", null)), "target", List.of(
                    new InputValue.Literal("v")))).id(), Duration.ofSeconds(60));
            assertEquals(JobStatus.FAILED, failed.status());
            assertEquals("InvalidParameterValue", failed.errorCode());
            assertTrue(failed.errorMessage().contains("answered HTTP 404"), failed.errorMessage());

            // off the allow-list: refused before any job exists
            HttpResponse<String> off = http.send(HttpRequest.newBuilder(URI.create(fit)).header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":{\"data\":{\"href\":"
                    + "\"http://example.org/x.csv\"},\"target\":\"v\"}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, off.statusCode(), off.body());
            assertTrue(off.body().contains("allow-list"), off.body());
        } finally {
            release.countDown();
            host.stop(0);
        }
    }
}
