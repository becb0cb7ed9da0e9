package dev.bayesnf.service.jobs;

import dev.bayesnf.core.DurableFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness: {@code bayesnf serve} as a separate JVM, killed with SIGKILL at random
 * moments while a client submits echo jobs, fits, predictions and interpolations (GeoTIFF and WMS
 * layer), polls and downloads results over OGC API - Processes. After each restart every job that
 * had been answered 201 still exists and never fails, and every job the client had seen
 * {@code successful} is still successful with byte-identical results (the results document and
 * every file it links). At the end, after the queue drained and a clean stop: no model stored
 * twice for one job, no temporary file, job folder or model file that no row names.
 *
 * <p>{@code -Dbayesnf.crash.kills=N} sets the number of kills (20 by default; docs/SERVICE.md
 * records a run of 100). Not a timed test: the tally is printed.
 */
class CrashHarnessTest {
    private static final int KILLS = Integer.getInteger("bayesnf.crash.kills", 20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String base;

    /** Jobs answered 201: id to process. */
    private final Map<String, String> accepted = new LinkedHashMap<>();
    /** Jobs seen successful: id to the digest of their results. */
    private final Map<String, String> successful = new LinkedHashMap<>();
    /** Jobs seen failed or dismissed (none should be). */
    private final Set<String> failed = new HashSet<>();
    private final List<String> models = new ArrayList<>();
    private int lost;
    private int damaged;

    @Test
    void confirmedJobsSurviveKill9() throws Exception {
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        SplittableRandom rnd = new SplittableRandom(20261207L);
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        int requests = 0;
        try {
            for (int k = 0; k < KILLS; k++) {
                Process p = start(data, port);
                try {
                    awaitUp(p);
                    verify();
                    // the kill comes at a random moment, whatever the client is doing then
                    long delay = (long) (rnd.nextDouble(0.3, 3.0) * 1000);
                    killer.schedule(p::destroyForcibly, delay, TimeUnit.MILLISECONDS);
                    while (p.isAlive()) {
                        try {
                            act(rnd);
                            requests++;
                        } catch (IOException e) {
                            // the service died under this request: its answer never came
                        }
                    }
                } finally {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }
            // the last start: everything is there, the queue drains, and a clean stop
            Process p = start(data, port);
            try {
                awaitUp(p);
                verify();
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (System.nanoTime() < end && pollAll() > 0) {
                    Thread.sleep(250);
                }
                assertEquals(0, pollAll(), "every accepted job finishes");
                verify();
            } finally {
                p.destroy();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a clean stop");
            }
        } finally {
            killer.shutdownNow();
        }
        int duplicated = 0;
        int orphans = 0;
        try (JobStore store = new JobStore(JobStore.h2Url(data))) {
            Map<String, Long> perJob = store.models().stream().filter(m -> m.jobId() != null)
                    .collect(Collectors.groupingBy(JobStore.ModelRow::jobId, Collectors.counting()));
            duplicated = (int) perJob.values().stream().filter(n -> n > 1).count();
            Set<String> ids = store.jobIds();
            Set<Path> modelFiles = store.models().stream().map(m -> data.resolve(m.file()).normalize())
                    .collect(Collectors.toSet());
            try (Stream<Path> s = Files.list(data.resolve("jobs"))) {
                orphans += (int) s.filter(d -> !ids.contains(d.getFileName().toString())).count();
            }
            try (Stream<Path> s = Files.list(data.resolve("models"))) {
                orphans += (int) s.filter(f -> !modelFiles.contains(f.normalize())).count();
            }
            for (Path f : modelFiles) {
                damaged += Files.isRegularFile(f) ? 0 : 1;
            }
        }
        try (Stream<Path> s = Files.walk(data)) {
            orphans += (int) s.filter(f -> f.getFileName().toString().endsWith(DurableFiles.TMP_SUFFIX)).count();
        }
        System.out.printf(Locale.ROOT, "crash harness: %d kills, %d requests, %d jobs answered 201, %d seen successful"
                + " (%d models); lost %d, failed %d, damaged %d, duplicated %d, orphans %d%n", KILLS,
                requests, accepted.size(), successful.size(), models.size(), lost, failed.size(), damaged,
                duplicated, orphans);
        assertTrue(accepted.size() >= KILLS, "the workload submitted jobs: " + accepted.size());
        assertTrue(successful.size() > accepted.size() / 2, "most jobs finished: " + successful.size());
        assertEquals(0, lost, "lost jobs");
        assertEquals(Set.of(), failed, "accepted jobs that failed");
        assertEquals(0, damaged, "damaged results or models");
        assertEquals(0, duplicated, "jobs with more than one model");
        assertEquals(0, orphans, "files no row names");
    }

    private Process start(Path data, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.bayesnf.cli.BayesNFCommand", "serve", "--port", Integer.toString(port), "--data-dir",
                data.toString(), "--no-demo", "--max-jobs", "2", "--device", "java",
                // the harness tests durability: its client may submit faster than a caller's rate
                "--max-executes-per-minute", "0");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()));
        return pb.start();
    }

    private void awaitUp(Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            assertTrue(p.isAlive(), () -> "the service stopped at start-up:\n" + log());
            try {
                if (get("/ogcapi").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the service did not start within 60 s:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("service.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** One client action: a submission, or a poll (and download) of a job not yet seen finished. */
    private void act(SplittableRandom rnd) throws Exception {
        List<String> open = accepted.keySet().stream().filter(id -> !successful.containsKey(id)
                && !failed.contains(id)).toList();
        // a client that keeps the queue short polls instead of submitting
        double u = open.size() >= 8 ? 1 : rnd.nextDouble();
        if (u < 0.3) {
            ObjectNode in = JSON.createObjectNode();
            in.put("value", "v" + rnd.nextInt(1_000_000)).put("pause", rnd.nextInt(2));
            submit("echo", in);
        } else if (u < 0.4 || models.isEmpty() && u < 0.6) {
            ObjectNode in = JSON.createObjectNode();
            in.putObject("data").put("value", csv(24, rnd.nextLong())).put("mediaType", "text/csv");
            in.put("target", "v").put("epochs", 20).put("ensemble", 1).put("width", 4);
            submit("bayesnf:Fit", in);
        } else if (u < 0.5 && !models.isEmpty()) {
            ObjectNode in = JSON.createObjectNode();
            in.put("model", models.get(rnd.nextInt(models.size())));
            in.putObject("points").put("value", "longitude,latitude\n0.5,51.0\n-1.0,50.5\n").put("mediaType", "text/csv");
            submit("bayesnf:Predict", in);
        } else if (u < 0.6 && !models.isEmpty()) {
            ObjectNode in = JSON.createObjectNode();
            in.put("model", models.get(rnd.nextInt(models.size())));
            in.putObject("outputBBOX").putArray("bbox").add(-2).add(50).add(2).add(52);
            in.put("outputWidth", 16).put("outputHeight", 12);
            submit("bayesnf:Interpolate", in);
        } else {
            if (!open.isEmpty()) {
                poll(open.get(rnd.nextInt(open.size())));
            }
        }
    }

    private void submit(String process, ObjectNode inputs) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("inputs", inputs);
        body.put("response", "document");
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/ogcapi/processes/" + process
                + "/execution")).header("Content-Type", "application/json").header("Prefer", "respond-async")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(body))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(201, r.statusCode(), () -> process + ": " + new String(r.body(), StandardCharsets.UTF_8));
        accepted.put(JSON.readTree(r.body()).get("jobID").asText(), process);
    }

    /** Polls a job; once successful, records the digest of its results. Returns its status. */
    private String poll(String id) throws Exception {
        HttpResponse<byte[]> r = get("/ogcapi/jobs/" + id);
        if (r.statusCode() == 404) {
            return "missing";
        }
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        String status = JSON.readTree(r.body()).get("status").asText();
        if (status.equals("failed") || status.equals("dismissed")) {
            failed.add(id);
            System.out.println(status + ": " + accepted.get(id) + " job " + id + " " + new String(r.body(),
                    StandardCharsets.UTF_8));
        } else if (status.equals("successful")) {
            String digest = digest(id);
            successful.put(id, digest);
            if (accepted.get(id).equals("bayesnf:Fit")) {
                HttpResponse<byte[]> res = get("/ogcapi/jobs/" + id + "/results");
                models.add(JSON.readTree(res.body()).at("/model/value").asText());
            }
        }
        return status;
    }

    /** Polls every job not yet seen finished; returns how many are still queued or running. */
    private int pollAll() throws Exception {
        int open = 0;
        for (String id : new ArrayList<>(accepted.keySet())) {
            if (!successful.containsKey(id) && !failed.contains(id)) {
                String s = poll(id);
                // a missing job is not waited for: verify() counts it lost
                open += s.equals("accepted") || s.equals("running") ? 1 : 0;
            }
        }
        return open;
    }

    /** SHA-256 over the results document and the content of every file it links. */
    private String digest(String id) throws Exception {
        HttpResponse<byte[]> res = get("/ogcapi/jobs/" + id + "/results");
        assertEquals(200, res.statusCode(), () -> new String(res.body(), StandardCharsets.UTF_8));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(res.body());
        List<String> hrefs = new ArrayList<>();
        JSON.readTree(res.body()).findValues("href").forEach(h -> hrefs.add(h.asText()));
        for (String h : hrefs) {
            HttpResponse<byte[]> f = http.send(HttpRequest.newBuilder(URI.create(h)).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            md.update(Integer.toString(f.statusCode()).getBytes(StandardCharsets.US_ASCII));
            md.update(f.body());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Every job answered 201 exists and has not failed; every job seen successful still is, identically. */
    private void verify() throws Exception {
        for (Map.Entry<String, String> e : accepted.entrySet()) {
            String id = e.getKey();
            HttpResponse<byte[]> r = get("/ogcapi/jobs/" + id);
            if (r.statusCode() == 404) {
                lost++;
                System.out.println("lost: " + e.getValue() + " job " + id);
                continue;
            }
            JsonNode st = JSON.readTree(r.body());
            String status = st.get("status").asText();
            String before = successful.get(id);
            if (before != null) {
                if (!status.equals("successful")) {
                    lost++;
                    System.out.println("no longer successful: " + id + " " + st);
                } else if (!before.equals(digest(id))) {
                    damaged++;
                    System.out.println("results changed: " + e.getValue() + " job " + id);
                }
            } else if ((status.equals("failed") || status.equals("dismissed")) && failed.add(id)) {
                System.out.println(status + ": " + e.getValue() + " job " + id + " " + st);
            }
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String csv(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder("longitude,latitude,v\n");
        for (int i = 0; i < n; i++) {
            double lon = -2 + 4 * r.nextDouble();
            double lat = 50 + 2 * r.nextDouble();
            b.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", lon, lat, Math.sin(lon) + Math.cos(lat)));
        }
        return b.toString();
    }
}
