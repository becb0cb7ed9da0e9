package dev.bayesnf.service.jobs;

import dev.bayesnf.core.DurableFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.InputValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash or a damaged disk leaves: results are checked against their checksums before they
 * are served, and start-up sweeps what no row names.
 */
class DurabilityTest {
    @TempDir
    Path dir;

    private static Map<String, List<InputValue>> smallFit() {
        StringBuilder csv = new StringBuilder("longitude,latitude,v\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i % 5).append(',').append(i / 5).append(',').append(Math.sin(i)).append('\n');
        }
        Map<String, List<InputValue>> in = new LinkedHashMap<>();
        in.put("data", List.of(new InputValue.Complex(csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv")));
        in.put("target", List.of(new InputValue.Literal("v")));
        in.put("epochs", List.of(new InputValue.Literal("2")));
        in.put("ensemble", List.of(new InputValue.Literal("1")));
        in.put("width", List.of(new InputValue.Literal("4")));
        return in;
    }

    @Test
    void damagedResultIsNotServed() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        try (BayesNFService s = BayesNFService.start(cfg)) {
            JobManager jobs = s.jobs();
            Job j = jobs.await(jobs.submit("bayesnf:Fit", smallFit()).id(), Duration.ofSeconds(60));
            assertEquals(JobStatus.SUCCESSFUL, j.status(), j.errorMessage());
            StoredOutput report = j.outputs().stream().filter(o -> o.file() != null).findFirst().orElseThrow();
            assertEquals(64, report.sha256().length());
            Path file = jobs.storedFile(j, report);
            assertEquals(report.size(), Files.size(file));
            String url = s.config().baseUrl() + "/results/" + j.id() + "/" + report.file();
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            // truncated under the service: refused, naming the job and output, no path
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            DamagedResultException e = assertThrows(DamagedResultException.class, () -> jobs.storedFile(j, report));
            assertTrue(e.getMessage().contains(j.id()) && e.getMessage().contains(report.id()), e.getMessage());
            assertFalse(e.getMessage().contains(dir.toString()), e.getMessage());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode());
            assertTrue(r.body().contains("damaged"), r.body());
            HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create(s.config().baseUrl() + "/ogcapi/jobs/"
                    + j.id() + "/results?f=json")).build(), HttpResponse.BodyHandlers.ofString());
            // the results document links the file by reference or embeds it: embedding fails cleanly
            assertTrue(doc.statusCode() == 200 || doc.body().contains("Damaged result"), doc.body());
            assertFalse(doc.body().contains(dir.toString()), doc.body());

            // the same length with other bytes: the checksum sees it
            byte[] other = bytes.clone();
            other[other.length - 2] ^= 1;
            Files.write(file, other);
            assertThrows(DamagedResultException.class, () -> jobs.storedFile(j, report));
            Files.write(file, bytes);
            assertEquals(file, jobs.storedFile(j, report));
        }
    }

    /** A model neither stored nor used for the expiry is deleted by the sweep, row and file; a used one stays. */
    @Test
    void unusedModelsExpire() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false).withModelExpiry(Duration.ofSeconds(2));
        try (BayesNFService s = BayesNFService.start(cfg)) {
            JobManager jobs = s.jobs();
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(jobs.submit("bayesnf:Fit", smallFit())
                    .id(), Duration.ofSeconds(60)).status());
            String unused = jobs.models().ids().get(0);
            Path unusedFile = jobs.models().file(unused).orElseThrow();
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(jobs.submit("bayesnf:Fit", smallFit())
                    .id(), Duration.ofSeconds(60)).status());
            String used = jobs.models().ids().stream().filter(id -> !id.equals(unused)).findFirst().orElseThrow();
            long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < end) {
                assertTrue(jobs.models().get(used).isPresent());
                Thread.sleep(100);
            }
            jobs.sweepNow();
            assertEquals(List.of(used), jobs.models().ids());
            assertFalse(Files.exists(unusedFile));
            assertTrue(jobs.models().get(unused).isEmpty());
            assertTrue(Files.exists(jobs.models().file(used).orElseThrow()));
        }
        // zero keeps models for ever; a negative expiry is refused
        assertThrows(IllegalArgumentException.class, () -> cfg.withModelExpiry(Duration.ofSeconds(-1)));
    }

    /**
     * A WMS layer whose raster file was deleted while the service was stopped is not listed, and
     * a GetMap for it says why instead of "no such layer"; the log says so too.
     */
    @Test
    void layerWithALostRasterSaysSo() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        String layer;
        Path raster;
        try (BayesNFService s = BayesNFService.start(cfg)) {
            JobManager jobs = s.jobs();
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(jobs.submit("bayesnf:Fit", smallFit())
                    .id(), Duration.ofSeconds(60)).status());
            Map<String, List<InputValue>> in = new LinkedHashMap<>();
            in.put("model", List.of(new InputValue.Literal(jobs.models().ids().get(0))));
            in.put("outputBBOX", List.of(new InputValue.BoundingBox("EPSG:4326", new double[] {0, 0},
                    new double[] {3, 4})));
            in.put("outputWidth", List.of(new InputValue.Literal("16")));
            in.put("outputHeight", List.of(new InputValue.Literal("12")));
            Job j = jobs.await(jobs.submit("bayesnf:Interpolate", in).id(), Duration.ofSeconds(60));
            assertEquals(JobStatus.SUCCESSFUL, j.status(), j.errorMessage());
            layer = jobs.layerCatalog().layers().get(0).name();
            raster = jobs.storedFile(j, j.outputs().stream().filter(o -> o.file() != null
                    && o.file().endsWith(".tif")).findFirst().orElseThrow());
        }
        Files.delete(raster);
        try (BayesNFService s = BayesNFService.start(cfg)) {
            HttpClient http = HttpClient.newHttpClient();
            String wms = s.config().baseUrl() + "/wms?service=WMS&version=1.3.0&request=";
            String caps = http.send(HttpRequest.newBuilder(URI.create(wms + "GetCapabilities")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertFalse(caps.contains("<Name>" + layer + "</Name>"), caps);
            String map = http.send(HttpRequest.newBuilder(URI.create(wms + "GetMap&layers=" + layer
                    + "&styles=&crs=CRS:84&bbox=0,0,3,4&width=16&height=12&format=image/png")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(map.contains("LayerNotDefined") && map.contains("cannot be served")
                    && map.contains("missing or damaged"), map);
            assertFalse(map.contains(dir.toString()), map);
        }
    }

    /**
     * While the service runs, leftovers nothing names are swept once they are an hour old; younger
     * ones may belong to work in progress and stay.
     */
    @Test
    void runningServiceSweepsOldLeftovers() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            java.nio.file.attribute.FileTime twoHoursAgo = java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofHours(2)));
            List<Path> old = new java.util.ArrayList<>();
            List<Path> fresh = new java.util.ArrayList<>();
            for (List<Path> set : List.of(old, fresh)) {
                Path job = dir.resolve("jobs").resolve(UUID.randomUUID().toString());
                Files.createDirectories(job);
                Path model = dir.resolve("models").resolve("m-" + UUID.randomUUID().toString().substring(0, 13) + ".bnf");
                Files.writeString(model, "half");
                set.add(job);
                set.add(model);
            }
            for (Path p : old) {
                Files.setLastModifiedTime(p, twoHoursAgo);
            }
            s.jobs().sweepLeftoversNow();
            for (Path p : old) {
                assertFalse(Files.exists(p), p.toString());
            }
            for (Path p : fresh) {
                assertTrue(Files.exists(p), p.toString());
            }
        }
    }

    @Test
    void oversizeLiteralIsRefusedBeforeAnyJobExists() throws Exception {
        try (BayesNFService s = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            Map<String, List<InputValue>> in = Map.of("value", List.of(new InputValue.Literal("x".repeat(1_000_001))));
            dev.bayesnf.service.process.ProcessException e = assertThrows(
                    dev.bayesnf.service.process.ProcessException.class, () -> s.jobs().submit("echo", in));
            assertEquals(dev.bayesnf.service.process.ProcessException.Code.FILE_SIZE_EXCEEDED, e.code());
            assertEquals("value", e.locator());
            assertTrue(e.getMessage().contains("1000001 characters"), e.getMessage());
            assertTrue(s.jobs().jobs(0, 10).isEmpty(), "no ghost job");
            try (var files = Files.list(dir.resolve("jobs"))) {
                assertEquals(0, files.count(), "no job folder");
            }
        }
    }

    @Test
    void startUpSweepsWhatNoRowNames() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        String kept;
        String model;
        try (BayesNFService s = BayesNFService.start(cfg)) {
            Job j = s.jobs().await(s.jobs().submit("bayesnf:Fit", smallFit()).id(),
                    Duration.ofSeconds(60));
            assertEquals(JobStatus.SUCCESSFUL, j.status(), j.errorMessage());
            kept = j.id();
            model = j.outputs().stream().filter(o -> o.id().equals("model")).findFirst().orElseThrow().literal();
        }
        Path strayJob = dir.resolve("jobs").resolve(UUID.randomUUID().toString());
        Files.createDirectories(strayJob);
        Files.writeString(strayJob.resolve("forecast.tif"), "half");
        Path strayModel = dir.resolve("models").resolve("m-0000000000000.bnf");
        Files.writeString(strayModel, "half");
        Path tmp = dir.resolve("jobs").resolve(kept).resolve(".report.json123" + DurableFiles.TMP_SUFFIX);
        Files.writeString(tmp, "half");
        Path modelTmp = dir.resolve("models").resolve(".m-1.bnf456" + DurableFiles.TMP_SUFFIX);
        Files.writeString(modelTmp, "half");
        try (BayesNFService s = BayesNFService.start(cfg)) {
            assertFalse(Files.exists(strayJob));
            assertFalse(Files.exists(strayModel));
            assertFalse(Files.exists(tmp));
            assertFalse(Files.exists(modelTmp));
            Job j = s.jobs().job(kept).orElseThrow();
            assertEquals(JobStatus.SUCCESSFUL, j.status());
            for (StoredOutput o : j.outputs()) {
                if (o.file() != null) {
                    assertTrue(Files.isRegularFile(s.jobs().storedFile(j, o)));
                }
            }
            assertTrue(s.jobs().models().get(model).isPresent());

            // a finished job dismissed: its results and its model go
            s.jobs().dismiss(kept);
            assertTrue(s.jobs().models().get(model).isEmpty());
            assertFalse(Files.exists(dir.resolve("jobs").resolve(kept).resolve("report.json")));
        }
    }
}
