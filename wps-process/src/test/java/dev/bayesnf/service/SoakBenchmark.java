package dev.bayesnf.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.Role;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak benchmark, not part of the test run (the name matches no test pattern): the service on
 * localhost with 16 accounts, each a client thread that for {@code bayesnf.soak.minutes} (30)
 * minutes mixes WMS GetMap tiles (60%), job status polls (30%) and small Fits (10%, one at a time
 * per client, asynchronous). Prints the requests by kind, every answer that is not 200/201, and the
 * old generation after a full collection once a minute (the live set; the whole heap right after
 * is printed too, blurred by the clients' new allocations); fails when any answer was an error.
 *
 * <p>Run: {@code mvn -o test -pl wps-process -Dtest=SoakBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbayesnf.soak.minutes=30} (docs/BENCHMARKS.md, "Service robustness").
 */
class SoakBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void sixteenClients() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("bayesnf.soak.minutes", "30"));
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        try (BayesNFService s = BayesNFService.start(cfg)) {
            String base = s.config().baseUrl();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                tokens.add("Bearer " + s.accounts().add("client" + i, Role.ANALYST, null));
            }
            // a shared layer to draw: a small fit and an interpolation, by the service itself
            var jobs = s.jobs();
            Job fit = jobs.await(jobs.submit("bayesnf:Fit", fitInputs()).id(), Duration.ofMinutes(5));
            assertEquals(JobStatus.SUCCESSFUL, fit.status(), fit.errorMessage());
            String model = Principal.runAs(Principal.SYSTEM, () -> jobs.models().ids().get(0));
            Map<String, List<InputValue>> in = new LinkedHashMap<>();
            in.put("model", List.of(new InputValue.Literal(model)));
            in.put("outputBBOX", List.of(new InputValue.BoundingBox("EPSG:4326", new double[] {0, 0},
                    new double[] {4, 3})));
            in.put("outputWidth", List.of(new InputValue.Literal("200")));
            in.put("outputHeight", List.of(new InputValue.Literal("150")));
            Job map = jobs.await(jobs.submit("bayesnf:Interpolate", in).id(), Duration.ofMinutes(5));
            assertEquals(JobStatus.SUCCESSFUL, map.status(), map.errorMessage());
            String layer = jobs.layerCatalog().layers().get(0).name();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + (long) (minutes * 60e9);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String token = tokens.get(c);
                SplittableRandom rnd = new SplittableRandom(c);
                clients.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    String pending = null;
                    while (System.nanoTime() < end) {
                        double u = rnd.nextDouble();
                        try {
                            HttpResponse<byte[]> r;
                            String kind;
                            if (u < 0.1 && pending == null) {
                                kind = "fit";
                                r = http.send(HttpRequest.newBuilder(URI.create(base
                                        + "/ogcapi/processes/bayesnf:Fit/execution")).header("Authorization", token)
                                        .header("Prefer", "respond-async").header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(fitBody())).build(),
                                        HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() == 201) {
                                    pending = JSON.readTree(r.body()).get("jobID").asText();
                                    mine.add(pending);
                                }
                            } else if (u < 0.4 && !mine.isEmpty()) {
                                kind = "poll";
                                String id = pending != null ? pending : mine.get(rnd.nextInt(mine.size()));
                                r = http.send(HttpRequest.newBuilder(URI.create(base + "/ogcapi/jobs/" + id))
                                        .header("Authorization", token).build(), HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() == 200 && id.equals(pending)) {
                                    JsonNode st = JSON.readTree(r.body());
                                    String status = st.get("status").asText();
                                    if (status.equals("failed") || status.equals("dismissed")) {
                                        errors.add("fit " + id + " " + status + ": " + st.path("message").asText());
                                    }
                                    if (!status.equals("accepted") && !status.equals("running")) {
                                        pending = null;
                                    }
                                }
                            } else {
                                kind = "getmap";
                                double x = rnd.nextDouble(0, 3);
                                double y = rnd.nextDouble(0, 2);
                                r = http.send(HttpRequest.newBuilder(URI.create(base + "/wms?service=WMS&version=1.3.0"
                                        + "&request=GetMap&layers=" + layer + "&styles=&crs=CRS:84&bbox=" + x + "," + y
                                        + "," + (x + 1) + "," + (y + 1) + "&width=256&height=256&format=image/png"))
                                        .header("Authorization", token).build(), HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() == 200 && !r.headers().firstValue("Content-Type").orElse("")
                                        .startsWith("image/png")) {
                                    errors.add("getmap: " + new String(r.body(), StandardCharsets.UTF_8));
                                }
                            }
                            counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                            if (r.statusCode() != 200 && r.statusCode() != 201) {
                                errors.add(kind + " HTTP " + r.statusCode() + ": " + new String(r.body(),
                                        StandardCharsets.UTF_8));
                            }
                        } catch (Exception e) {
                            errors.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            var memory = ManagementFactory.getMemoryMXBean();
            long maxHeap = 0;
            int minute = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(60_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                System.gc();
                long used = memory.getHeapMemoryUsage().getUsed();
                // the old generation as the full collection left it: the live set, which the
                // clients' allocations right after the collection do not blur
                long live = oldGenerationAfterGc();
                maxHeap = Math.max(maxHeap, live);
                System.out.printf("soak: minute %d, old generation after full GC %.1f MiB (heap now %.1f MiB),"
                        + " requests %s, errors %d%n", ++minute, live / 1048576.0, used / 1048576.0, counts,
                        errors.size());
            }
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();
            long total = counts.values().stream().mapToLong(AtomicLong::get).sum();
            System.out.printf("soak: %d clients, %.0f minutes, %d requests %s, errors %d, largest old generation after"
                    + " full GC %.1f MiB%n", CLIENTS, minutes, total, counts, errors.size(), maxHeap / 1048576.0);
            errors.stream().limit(20).forEach(e -> System.out.println("soak error: " + e));
            assertEquals(0, errors.size(), "errors");
        }
    }

    /** The heap's old-generation pools' usage after their last collection (bytes). */
    private static long oldGenerationAfterGc() {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            var after = pool.getCollectionUsage();
            if (pool.getType() == java.lang.management.MemoryType.HEAP && after != null
                    && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                sum += after.getUsed();
            }
        }
        return sum;
    }

    private static String csv() {
        StringBuilder csv = new StringBuilder("longitude,latitude,v\\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i % 5).append(',').append(i / 5).append(',').append(Math.sin(i)).append("\\n");
        }
        return csv.toString();
    }

    private static String fitBody() {
        return "{\"inputs\":{\"data\":{\"value\":\"" + csv() + "\",\"mediaType\":\"text/csv\"},\"target\":\"v\","
                + "\"epochs\":2,\"ensemble\":1,\"width\":4}}";
    }

    private static Map<String, List<InputValue>> fitInputs() {
        Map<String, List<InputValue>> in = new LinkedHashMap<>();
        in.put("data", List.of(new InputValue.Complex(csv().replace("\\n", "\n").getBytes(StandardCharsets.UTF_8),
                "text/csv")));
        in.put("target", List.of(new InputValue.Literal("v")));
        in.put("epochs", List.of(new InputValue.Literal("20")));
        in.put("ensemble", List.of(new InputValue.Literal("1")));
        in.put("width", List.of(new InputValue.Literal("4")));
        return in;
    }
}
