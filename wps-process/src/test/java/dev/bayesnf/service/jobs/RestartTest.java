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
            done = jobs.submit("echo", echo("kept", 0), Map.of(), Map.of()).id();
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(done, Duration.ofSeconds(30)).status());
            runningId = jobs.submit("echo", echo("slow", 3), Map.of(), Map.of()).id();
            queuedId = jobs.submit("echo", echo("waiting", 1), Map.of(), Map.of()).id();
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
            Job j = jobs.await(jobs.submit("echo", echo("slow", 30), Map.of(), Map.of()).id(), Duration.ofSeconds(20));
            assertEquals(JobStatus.FAILED, j.status());
            assertTrue(j.errorMessage().contains("limit for echo (1 s)"), j.errorMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 15, "stopped long before its 30 s");
            // within its limit a job is untouched
            assertEquals(JobStatus.SUCCESSFUL, jobs.await(jobs.submit("echo", echo("quick", 0), Map.of(), Map.of())
                    .id(), Duration.ofSeconds(20)).status());
        }
    }
}
