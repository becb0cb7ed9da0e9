package dev.bayesnf.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.InputValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart keeps finished jobs and their results, and runs again the jobs it interrupted (queued
 * or running): a job once accepted is never lost.
 */
class RestartTest {
    @TempDir
    Path dir;

    private static Map<String, List<InputValue>> echo(String value, int pause) {
        return Map.of("value", List.of(new InputValue.Literal(value)), "pause",
                List.of(new InputValue.Literal(Integer.toString(pause))));
    }

    @Test
    void finishedJobsSurviveAndInterruptedOnesRunAgain() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        String done;
        String runningId;
        String queuedId;
        try (BayesNFService a = BayesNFService.start(cfg)) {
            JobManager jobs = a.jobs();
            done = jobs.submit("echo", echo("kept", 0)).id();
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(done, Duration.ofSeconds(30)).status());
            runningId = jobs.submit("echo", echo("slow", 3)).id();
            queuedId = jobs.submit("echo", echo("waiting", 1)).id();
            for (int i = 0; i < 100 && jobs.job(runningId).orElseThrow().status() != JobStatus.RUNNING; i++) {
                Thread.sleep(50);
            }
            assertEquals(JobStatus.RUNNING, jobs.job(runningId).orElseThrow().status());
            assertEquals(JobStatus.ACCEPTED, jobs.job(queuedId).orElseThrow().status());
        }
        try (BayesNFService b = BayesNFService.start(cfg)) {
            JobManager jobs = b.jobs();
            Job kept = jobs.job(done).orElseThrow();
            assertEquals(JobStatus.SUCCESSFUL, kept.status());
            assertEquals("kept", kept.outputs().get(0).literal());
            for (String id : List.of(runningId, queuedId)) {
                assertTrue(jobs.job(id).orElseThrow().status() != JobStatus.FAILED, id);
                Job j = jobs.await(id, Duration.ofSeconds(30));
                assertEquals(JobStatus.SUCCESSFUL, j.status(), id);
                assertEquals(id.equals(runningId) ? "slow" : "waiting", j.outputs().get(0).literal());
            }
            // the dismissal of an unknown job changes nothing
            assertTrue(jobs.dismiss("00000000-0000-0000-0000-000000000000").isEmpty());
        }
    }

    @Test
    void jobPastItsTimeLimitIsStoppedAndFails() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false)
                .withJobTimeLimits(Map.of("echo", Duration.ofSeconds(1)));
        try (BayesNFService a = BayesNFService.start(cfg)) {
            JobManager jobs = a.jobs();
            long t0 = System.nanoTime();
            Job j = jobs.await(jobs.submit("echo", echo("slow", 30)).id(), Duration.ofSeconds(20));
            assertEquals(JobStatus.FAILED, j.status());
            assertTrue(j.errorMessage().contains("limit for echo (1 s)"), j.errorMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 15, "stopped long before its 30 s");
            // within its limit a job is untouched
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(jobs.submit("echo", echo("quick", 0))
                    .id(), Duration.ofSeconds(20)).status());
        }
    }

    @Test
    void jobsStoredInTheFormBeforeTheTypedOptionsRunAfterAnUpgrade() throws Exception {
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        // a WPS and an OGC API job queued by a version that wrote the request map by map
        String wps = "11111111-1111-1111-1111-111111111111";
        String api = "22222222-2222-2222-2222-222222222222";
        java.time.Instant t = java.time.Instant.now();
        for (String id : List.of(wps, api)) {
            java.nio.file.Files.createDirectories(dir.resolve("jobs").resolve(id).resolve("inputs"));
        }
        try (JobStore store = new JobStore(JobStore.h2Url(dir))) {
            store.insert(new Job(wps, "echo", JobStatus.ACCEPTED, 0, "queued", t, null, null, t, null,
                    "{\"inputs\":{\"value\":[{\"literal\":\"from wps\"}]},\"formats\":{},\"request\":"
                            + "{\"protocol\":\"wps\",\"lineage\":true,\"outputs\":[{\"id\":\"value\","
                            + "\"mimeType\":null,\"asReference\":false}]}}", List.of(), null, null, null));
            store.insert(new Job(api, "echo", JobStatus.ACCEPTED, 0, "queued", t, null, null, t, null,
                    "{\"inputs\":{\"value\":[{\"literal\":\"from ogcapi\"}]},\"formats\":{},\"request\":"
                            + "{\"protocol\":\"ogcapi\",\"response\":\"document\",\"outputs\":[]}}", List.of(),
                    null, null, null));
        }
        try (BayesNFService b = BayesNFService.start(cfg)) {
            JobManager jobs = b.jobs();
            Job w = jobs.await(wps, Duration.ofSeconds(30));
            assertEquals(JobStatus.SUCCESSFUL, w.status(), w.errorMessage());
            assertEquals("from wps", w.outputs().get(0).literal());
            assertEquals(ResponseOptions.wps(true, List.of(new ResponseOptions.Output("value", null, false))),
                    w.responseOptions());
            Job o = jobs.await(api, Duration.ofSeconds(30));
            assertEquals(JobStatus.SUCCESSFUL, o.status(), o.errorMessage());
            assertEquals("from ogcapi", o.outputs().get(0).literal());
            assertEquals(ResponseOptions.ogcApi(false, List.of()), o.responseOptions());
        }
    }
}
