package dev.bayesnf.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job database on its own, against a real embedded H2 file in a temporary folder: jobs (every
 * field, updates, listings, states, expiry, deletion), models, layers, accounts, reopening and the
 * schema migration.
 */
class JobStoreTest {
    @TempDir
    Path dir;

    /** A fixed instant (microsecond precision: what TIMESTAMP WITH TIME ZONE keeps). */
    private static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123456Z");

    private JobStore open() throws SQLException {
        return new JobStore(JobStore.h2Url(dir));
    }

    private static Job accepted(String id, Instant created) {
        return new Job(id, "bayesnf:Fit", JobStatus.ACCEPTED, 0, "queued", created, null, null, created, null,
                "{\"inputs\":{\"target\":\"wind\"}}", List.of(), null, null, null);
    }

    private static Job finished(String id, JobStatus status, Instant created, Instant expires) {
        return new Job(id, "bayesnf:Fit", status, 100, status.code(), created, created.plusSeconds(1),
                created.plusSeconds(2), created.plusSeconds(2), expires, "{}", List.of(), null, null, null);
    }

    private static Job full(String id) {
        List<StoredOutput> outs = List.of(new StoredOutput("model", "m-1234", null, null, false),
                new StoredOutput("report", null, "report.txt", "text/plain", false, "ab".repeat(32), 1234L),
                new StoredOutput("raster", null, "out.tif", "image/tiff; subtype=geotiff", true, "cd".repeat(32),
                        5_000_000_000L));
        return new Job(id, "bayesnf:Forecast", JobStatus.FAILED, 42, "failed at step 3", T0, T0.plusSeconds(5),
                T0.plusSeconds(65), T0.plusSeconds(66), T0.plus(Duration.ofDays(7)),
                "{\"inputs\":{\"model\":\"m-1234\"},\"outputs\":[]}", outs, "InvalidParameterValue", "outputBBOX",
                "outputBBOX: min > max");
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    // ------------------------------------------------------------------------------------ jobs

    @Test
    void insertedJobReadsBackFieldByField() throws Exception {
        try (JobStore s = open()) {
            Job j = full("job-1");
            s.insert(j, "ana");
            Job r = s.job("job-1").orElseThrow();
            assertEquals("job-1", r.id());
            assertEquals("bayesnf:Forecast", r.process());
            assertEquals(JobStatus.FAILED, r.status());
            assertEquals(42, r.progress());
            assertEquals("failed at step 3", r.message());
            assertEquals(T0, r.created());
            assertEquals(T0.plusSeconds(5), r.started());
            assertEquals(T0.plusSeconds(65), r.finished());
            assertEquals(T0.plusSeconds(66), r.updated());
            assertEquals(T0.plus(Duration.ofDays(7)), r.expires());
            assertEquals(j.request(), r.request());
            assertEquals(j.outputs(), r.outputs());
            assertEquals(Long.valueOf(5_000_000_000L), r.outputs().get(2).size());
            assertTrue(r.outputs().get(2).binary());
            assertNull(r.outputs().get(0).sha256());
            assertEquals("InvalidParameterValue", r.errorCode());
            assertEquals("outputBBOX", r.errorLocator());
            assertEquals("outputBBOX: min > max", r.errorMessage());
            assertEquals(j, r);
            assertEquals(Optional.of("ana"), s.owner("job-1"));
        }
    }

    @Test
    void nullFieldsStayNullAndUnknownIdsAreEmpty() throws Exception {
        try (JobStore s = open()) {
            Job j = new Job("job-2", "echo", JobStatus.ACCEPTED, 0, null, T0, null, null, T0, null, "{}", null, null,
                    null, null);
            s.insert(j);
            Job r = s.job("job-2").orElseThrow();
            assertEquals(j, r);
            assertNull(r.message());
            assertNull(r.started());
            assertNull(r.finished());
            assertNull(r.expires());
            assertEquals(List.of(), r.outputs());
            assertNull(r.errorCode());
            // anonymous job: no owner; no such job: no owner either
            assertEquals(Optional.empty(), s.owner("job-2"));
            assertEquals(Optional.empty(), s.owner("nope"));
            assertEquals(Optional.empty(), s.job("nope"));
            // the id is the primary key
            assertThrows(SQLException.class, () -> s.insert(j));
        }
    }

    @Test
    void updateWritesStatusProgressTimesAndOutputs() throws Exception {
        try (JobStore s = open()) {
            Job j = accepted("job-u", T0);
            s.insert(j);
            Job running = j.withState(JobStatus.RUNNING, 10, "fitting", T0.plusSeconds(3));
            s.update(running, false); // a progress update, not forced to disk
            Job r = s.job("job-u").orElseThrow();
            assertEquals(JobStatus.RUNNING, r.status());
            assertEquals(10, r.progress());
            assertEquals("fitting", r.message());
            assertEquals(T0.plusSeconds(3), r.started());
            assertNull(r.finished());
            assertEquals(T0.plusSeconds(3), r.updated());

            Job done = running.withState(JobStatus.SUCCESSFUL, 100, "done", T0.plusSeconds(9));
            List<StoredOutput> outs = List.of(new StoredOutput("model", "m-1", null, null, false),
                    new StoredOutput("report", null, "report.txt", "text/plain", false, "0f".repeat(32), 17L));
            done = new Job(done.id(), done.process(), done.status(), done.progress(), done.message(), done.created(),
                    done.started(), done.finished(), done.updated(), T0.plus(Duration.ofDays(1)), done.request(), outs,
                    null, null, null);
            s.update(done);
            r = s.job("job-u").orElseThrow();
            assertEquals(done, r);
            assertEquals(JobStatus.SUCCESSFUL, r.status());
            assertEquals(T0.plusSeconds(3), r.started());
            assertEquals(T0.plusSeconds(9), r.finished());
            assertEquals(outs, r.outputs());
            assertEquals(1, s.jobs(0, 10).size());

            // updating a job that is not there creates nothing
            s.update(accepted("ghost", T0));
            assertEquals(Optional.empty(), s.job("ghost"));
        }
    }

    @Test
    void overlongMessagesAreTruncatedToTheirColumns() throws Exception {
        try (JobStore s = open()) {
            Job j = new Job("job-t", "echo", JobStatus.FAILED, 0, "m".repeat(5000), T0, null, T0, T0, null, "{}",
                    List.of(), "NoApplicableCode", "l".repeat(300), "e".repeat(5000));
            s.insert(j);
            Job r = s.job("job-t").orElseThrow();
            assertEquals(2000, r.message().length());
            assertTrue(r.message().startsWith("mmm") && r.message().endsWith("…"), r.message());
            assertEquals(256, r.errorLocator().length());
            assertTrue(r.errorLocator().endsWith("…"));
            assertEquals(4000, r.errorMessage().length());
            assertTrue(r.errorMessage().endsWith("…"));
            // exactly at the limit: kept whole
            s.update(new Job("job-t", "echo", JobStatus.FAILED, 0, "m".repeat(2000), T0, null, T0, T0, null, "{}",
                    List.of(), "NoApplicableCode", null, null));
            assertEquals("m".repeat(2000), s.job("job-t").orElseThrow().message());
            // never half a character: a surrogate pair at the cut goes whole
            String emoji = "m".repeat(1998) + "\uD83D\uDE00" + "tail";
            s.update(new Job("job-t", "echo", JobStatus.FAILED, 0, emoji, T0, null, T0, T0, null, "{}",
                    List.of(), "NoApplicableCode", null, null));
            assertEquals("m".repeat(1998) + "…", s.job("job-t").orElseThrow().message());
        }
    }

    @Test
    void listingsAreNewestFirstWithOffsetAndLimit() throws Exception {
        try (JobStore s = open()) {
            for (int i = 0; i < 5; i++) {
                s.insert(accepted("j" + i, T0.plusSeconds(i)), i % 2 == 0 ? "ana" : null);
            }
            // same creation time as j4: ties are broken by id
            s.insert(accepted("j4b", T0.plusSeconds(4)), "bob");
            assertEquals(List.of("j4", "j4b", "j3", "j2", "j1", "j0"), ids(s.jobs(0, 100)));
            assertEquals(List.of("j4", "j4b", "j3"), ids(s.jobs(0, 3)));
            assertEquals(List.of("j2", "j1"), ids(s.jobs(3, 2)));
            assertEquals(List.of("j0"), ids(s.jobs(5, 10)));
            assertEquals(List.of(), s.jobs(6, 10));
            assertEquals(List.of(), s.jobs(0, 0));

            assertEquals(List.of("j4", "j2", "j0"), ids(s.jobsOf("ana", 0, 10)));
            assertEquals(List.of("j2"), ids(s.jobsOf("ana", 1, 1)));
            assertEquals(List.of("j3", "j1"), ids(s.jobsOf(null, 0, 10)));
            assertEquals(List.of("j4b"), ids(s.jobsOf("bob", 0, 10)));
            assertEquals(List.of(), s.jobsOf("nobody", 0, 10));

            assertEquals(Set.of("j0", "j1", "j2", "j3", "j4", "j4b"), s.jobIds());
        }
    }

    @Test
    void jobsInStatesAreOldestFirst() throws Exception {
        try (JobStore s = open()) {
            s.insert(finished("ok", JobStatus.SUCCESSFUL, T0, null));
            s.insert(accepted("a2", T0.plusSeconds(20)));
            s.insert(accepted("a1", T0.plusSeconds(10)));
            s.insert(accepted("a1-b", T0.plusSeconds(10)).withState(JobStatus.RUNNING, 5, "r", T0.plusSeconds(11)));
            s.insert(finished("bad", JobStatus.FAILED, T0.plusSeconds(30), null));
            s.insert(finished("gone", JobStatus.DISMISSED, T0.plusSeconds(5), null));

            assertEquals(List.of("a1", "a1-b", "a2"), ids(s.jobsIn(JobStatus.ACCEPTED, JobStatus.RUNNING)));
            assertEquals(List.of("a1-b"), ids(s.jobsIn(JobStatus.RUNNING)));
            assertEquals(List.of("gone", "bad"), ids(s.jobsIn(JobStatus.FAILED, JobStatus.DISMISSED)));
            assertEquals(List.of("ok"), ids(s.jobsIn(JobStatus.SUCCESSFUL)));
            assertEquals(JobStatus.RUNNING, s.jobsIn(JobStatus.RUNNING).get(0).status());
        }
    }

    @Test
    void expiredAreFinishedJobsPastTheirExpiry() throws Exception {
        Instant now = T0.plus(Duration.ofDays(10));
        try (JobStore s = open()) {
            s.insert(finished("ok-old", JobStatus.SUCCESSFUL, T0, now.minusSeconds(1)));
            s.insert(finished("failed-old", JobStatus.FAILED, T0, now.minusSeconds(60)));
            s.insert(finished("dismissed-old", JobStatus.DISMISSED, T0, now.minus(Duration.ofDays(1))));
            s.insert(finished("ok-new", JobStatus.SUCCESSFUL, T0, now.plusSeconds(1)));
            s.insert(finished("ok-now", JobStatus.SUCCESSFUL, T0, now)); // not before now: kept
            s.insert(finished("ok-forever", JobStatus.SUCCESSFUL, T0, null));
            Job running = new Job("running-old", "bayesnf:Fit", JobStatus.RUNNING, 50, null, T0, T0, null, T0,
                    now.minusSeconds(60), "{}", List.of(), null, null, null);
            s.insert(running);
            Job queued = new Job("accepted-old", "bayesnf:Fit", JobStatus.ACCEPTED, 0, null, T0, null, null, T0,
                    now.minusSeconds(60), "{}", List.of(), null, null, null);
            s.insert(queued);

            assertEquals(Set.of("ok-old", "failed-old", "dismissed-old"), Set.copyOf(ids(s.expired(now))));
            assertEquals(Set.of("ok-old", "failed-old", "dismissed-old", "ok-now", "ok-new"),
                    Set.copyOf(ids(s.expired(now.plusSeconds(2)))));
            assertEquals(List.of(), s.expired(T0));
        }
    }

    @Test
    void jobSizesCountRequestAndOutputsOfUndismissedJobs() throws Exception {
        try (JobStore s = open()) {
            Job a = accepted("a", T0);
            s.insert(a, "ana");
            Job d = finished("d", JobStatus.DISMISSED, T0, null);
            s.insert(d, "ana");
            s.insert(accepted("other", T0), "bob");
            s.insert(accepted("anon", T0));
            Map<String, Long> sizes = s.jobSizesOf("ana");
            // outputs are stored as JSON: an empty list is "[]"
            assertEquals(Map.of("a", (long) a.request().length() + 2), sizes);
            assertEquals(Set.of("anon"), s.jobSizesOf(null).keySet());
            assertEquals(Map.of(), s.jobSizesOf("nobody"));
        }
    }

    @Test
    void deleteJobRemovesTheJobAndItsLayersOnly() throws Exception {
        try (JobStore s = open()) {
            s.insert(accepted("j1", T0));
            s.insert(accepted("j2", T0.plusSeconds(1)));
            s.insertLayer(new JobStore.LayerRow("l1a", "j1", "first", "jobs/j1/a.tif", T0, null));
            s.insertLayer(new JobStore.LayerRow("l1b", "j1", "second", "jobs/j1/b.tif", T0.plusSeconds(1), "ana"));
            s.insertLayer(new JobStore.LayerRow("l2", "j2", "other", "jobs/j2/a.tif", T0.plusSeconds(2), null));
            s.insertModel(new JobStore.ModelRow("m1", "j1", "model", "models/m1.bnf", T0, null));

            s.deleteJob("j1");
            assertEquals(Optional.empty(), s.job("j1"));
            assertTrue(s.job("j2").isPresent());
            assertEquals(List.of("l2"), s.layers().stream().map(JobStore.LayerRow::name).toList());
            // models outlive their job's row (the model registry removes them itself)
            assertEquals(List.of("m1"), s.models().stream().map(JobStore.ModelRow::id).toList());
            // deleting what is not there is no error
            s.deleteJob("j1");
            assertEquals(Set.of("j2"), s.jobIds());
        }
    }

    @Test
    void requeueResetsTheJobAndDropsItsModelsAndLayers() throws Exception {
        try (JobStore s = open()) {
            Job queued = accepted("j1", T0);
            s.insert(queued, "ana");
            s.update(queued.withState(JobStatus.RUNNING, 60, "half way", T0.plusSeconds(5)));
            s.insertModel(new JobStore.ModelRow("m1", "j1", "partial", "models/m1.bnf", T0.plusSeconds(6), "ana"));
            s.insertModel(new JobStore.ModelRow("m2", "j2", "other's", "models/m2.bnf", T0.plusSeconds(6), null));
            s.insertLayer(new JobStore.LayerRow("l1", "j1", "partial", "jobs/j1/a.tif", T0.plusSeconds(7), "ana"));

            s.requeue(queued);
            assertEquals(queued, s.job("j1").orElseThrow());
            assertEquals(List.of("m2"), s.models().stream().map(JobStore.ModelRow::id).toList());
            assertEquals(List.of(), s.layers());
            // the owner is not part of the job's fields: it stays
            assertEquals(Optional.of("ana"), s.owner("j1"));
        }
    }

    // ---------------------------------------------------------------------------------- models

    @Test
    void modelsInsertListTouchExpireAndDelete() throws Exception {
        try (JobStore s = open()) {
            JobStore.ModelRow m1 = new JobStore.ModelRow("m1", "j1", "wind", "models/m1.bnf", T0, "ana");
            JobStore.ModelRow m2 = new JobStore.ModelRow("m2", null, "demo", "models/m2.bnf", T0.plusSeconds(60),
                    null);
            JobStore.ModelRow m0 = new JobStore.ModelRow("m0", "j0", "x".repeat(600), "models/m0.bnf",
                    T0.plusSeconds(120), "bob");
            s.insertModel(m1);
            s.insertModel(m2);
            s.insertModel(m0);
            assertThrows(SQLException.class, () -> s.insertModel(m1));

            List<JobStore.ModelRow> all = s.models();
            // oldest first
            assertEquals(List.of("m1", "m2", "m0"), all.stream().map(JobStore.ModelRow::id).toList());
            assertEquals(m1, all.get(0));
            assertEquals(m2, all.get(1));
            assertNull(all.get(1).jobId());
            assertNull(all.get(1).owner());
            // titles are cut to their column
            assertEquals(512, all.get(2).title().length());
            assertTrue(all.get(2).title().endsWith("…"));
            // owners as stored (the registry filters by them)
            assertEquals(List.of("m1"), all.stream().filter(m -> "ana".equals(m.owner()))
                    .map(JobStore.ModelRow::id).toList());

            // never used: their creation time counts
            assertEquals(List.of("m1"), s.modelsUnusedSince(T0.plusSeconds(30)).stream()
                    .map(JobStore.ModelRow::id).toList());
            assertEquals(List.of(), s.modelsUnusedSince(T0));
            // a use moves it forward
            s.touchModel("m1", T0.plusSeconds(3600));
            assertEquals(List.of("m2", "m0"), s.modelsUnusedSince(T0.plusSeconds(1800)).stream()
                    .map(JobStore.ModelRow::id).toList());
            assertEquals(List.of("m1", "m2", "m0"), s.modelsUnusedSince(T0.plusSeconds(3601)).stream()
                    .map(JobStore.ModelRow::id).toList());
            // touching an unknown model is no error and changes nothing
            s.touchModel("nope", T0);
            assertEquals(3, s.models().size());

            s.deleteModel("m2");
            assertEquals(List.of("m1", "m0"), s.models().stream().map(JobStore.ModelRow::id).toList());
            s.deleteModel("m2");
            assertEquals(2, s.models().size());
        }
    }

    // ---------------------------------------------------------------------------------- layers

    @Test
    void layersInsertAndList() throws Exception {
        try (JobStore s = open()) {
            JobStore.LayerRow b = new JobStore.LayerRow("wind_b", "j1", "Wind B", "jobs/j1/b.tif", T0, "ana");
            JobStore.LayerRow a = new JobStore.LayerRow("wind_a", "j1", "Wind A", "jobs/j1/a.tif", T0, null);
            JobStore.LayerRow c = new JobStore.LayerRow("temp", "j2", "t".repeat(700), "jobs/j2/t.tif",
                    T0.minusSeconds(1), null);
            s.insertLayer(b);
            s.insertLayer(a);
            s.insertLayer(c);
            List<JobStore.LayerRow> layers = s.layers();
            // oldest first, then by name
            assertEquals(List.of("temp", "wind_a", "wind_b"), layers.stream().map(JobStore.LayerRow::name).toList());
            assertEquals(a, layers.get(1));
            assertEquals(b, layers.get(2));
            assertEquals(512, layers.get(0).title().length());
            // names are unique
            assertThrows(SQLException.class, () -> s.insertLayer(new JobStore.LayerRow("wind_a", "j3", "again",
                    "jobs/j3/a.tif", T0, null)));
            assertEquals(3, s.layers().size());
        }
    }

    // ---------------------------------------------------------------------------------- users

    @Test
    void usersInsertFindUpdateDelete() throws Exception {
        try (JobStore s = open()) {
            JobStore.UserRow ana = new JobStore.UserRow("ana", "analyst", "$2a$10$hash", "a".repeat(64), T0);
            assertTrue(s.insertUser(ana));
            assertEquals(Optional.of(ana), s.user("ana"));
            // a taken name is refused and the first account is untouched
            assertFalse(s.insertUser(new JobStore.UserRow("ana", "admin", null, "b".repeat(64), T0)));
            assertEquals(Optional.of(ana), s.user("ana"));
            // a token hash belongs to one account only
            assertThrows(SQLException.class, () -> s.insertUser(new JobStore.UserRow("eve", "viewer", null,
                    "a".repeat(64), T0)));
            assertEquals(Optional.empty(), s.user("eve"));

            JobStore.UserRow bob = new JobStore.UserRow("bob", "viewer", null, null, T0.plusSeconds(1));
            assertTrue(s.insertUser(bob));
            assertEquals(List.of(ana, bob), s.users());

            assertEquals(Optional.of(ana), s.userByToken("a".repeat(64)));
            assertEquals(Optional.empty(), s.userByToken("c".repeat(64)));

            // update: role, password hash and token hash, by name; the creation time stays
            JobStore.UserRow ana2 = new JobStore.UserRow("ana", "admin", null, "d".repeat(64), T0.plusSeconds(99));
            assertTrue(s.updateUser(ana2));
            JobStore.UserRow read = s.user("ana").orElseThrow();
            assertEquals("admin", read.role());
            assertNull(read.passwordHash());
            assertEquals("d".repeat(64), read.tokenHash());
            assertEquals(T0, read.created());
            assertEquals(Optional.empty(), s.userByToken("a".repeat(64)));
            assertEquals("ana", s.userByToken("d".repeat(64)).orElseThrow().name());
            assertFalse(s.updateUser(new JobStore.UserRow("nobody", "admin", null, null, T0)));
            assertEquals(Optional.empty(), s.user("nobody"));

            assertTrue(s.deleteUser("bob"));
            assertFalse(s.deleteUser("bob"));
            assertEquals(List.of("ana"), s.users().stream().map(JobStore.UserRow::name).toList());
        }
    }

    // ------------------------------------------------------------------ reopening and migration

    @Test
    void reopeningTheSameFileKeepsEverything() throws Exception {
        Job j = full("job-r");
        JobStore.ModelRow m = new JobStore.ModelRow("m1", "job-r", "wind", "models/m1.bnf", T0, "ana");
        JobStore.LayerRow l = new JobStore.LayerRow("wind", "job-r", "Wind", "jobs/job-r/w.tif", T0, "ana");
        JobStore.UserRow u = new JobStore.UserRow("ana", "analyst", "$2a$10$hash", "e".repeat(64), T0);
        try (JobStore s = open()) {
            s.insert(j, "ana");
            s.insert(accepted("job-q", T0.plusSeconds(1)));
            s.update(accepted("job-q", T0.plusSeconds(1)).withState(JobStatus.RUNNING, 30, "p", T0.plusSeconds(2)),
                    false);
            s.insertModel(m);
            s.touchModel("m1", T0.plusSeconds(500));
            s.insertLayer(l);
            s.insertUser(u);
        }
        try (JobStore s = open()) {
            assertEquals(j, s.job("job-r").orElseThrow());
            assertEquals(Optional.of("ana"), s.owner("job-r"));
            // a progress update that was not forced is still there after an orderly close
            Job q = s.job("job-q").orElseThrow();
            assertEquals(JobStatus.RUNNING, q.status());
            assertEquals(30, q.progress());
            assertEquals(List.of(m), s.models());
            assertEquals(List.of(), s.modelsUnusedSince(T0.plusSeconds(400)));
            assertEquals(List.of(l), s.layers());
            assertEquals(Optional.of(u), s.userByToken("e".repeat(64)));
            assertEquals(List.of("job-q", "job-r"), ids(s.jobs(0, 10)));
        }
    }

    private static List<Integer> schemaVersions(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT version FROM bnf_schema ORDER BY version")) {
            List<Integer> v = new java.util.ArrayList<>();
            while (r.next()) {
                v.add(r.getInt(1));
            }
            return v;
        }
    }

    private static List<Integer> allVersions() {
        return java.util.stream.IntStream.rangeClosed(1, JobStore.SCHEMA_VERSION).boxed().toList();
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void migrationRunsOnceAndOpeningAgainChangesNothing() throws Exception {
        String url = JobStore.h2Url(dir);
        try (JobStore s = open()) {
            s.insert(accepted("j1", T0), "ana");
        }
        assertEquals(allVersions(), schemaVersions(url));
        try (JobStore s = open()) {
            assertEquals(Set.of("j1"), s.jobIds());
        }
        // two stores on the same database at once: the second finds it current
        try (JobStore s = open(); JobStore t = open()) {
            assertEquals(Optional.of("ana"), t.owner("j1"));
            assertEquals(s.jobs(0, 10), t.jobs(0, 10));
        }
        assertEquals(allVersions(), schemaVersions(url));
    }

    @Test
    void laterMigrationsMayRunAgainAndShareTheServicesOwnWork() throws Exception {
        String url = JobStore.h2Url(dir);
        try (JobStore s = open()) {
            s.insert(accepted("demo", T0), "system");
            s.insert(accepted("mine", T0), "ana");
            s.insertModel(new JobStore.ModelRow("m1", "demo", "demo", "models/m1.bnf", T0, "system"));
            s.insertLayer(new JobStore.LayerRow("demo", "demo", "demo", "jobs/demo/a.tif", T0, "system"));
            assertEquals(Optional.of("system"), s.owner("demo"));
        }
        // as if a crash had stopped after migration 1 was recorded: 2 and 3 run again over what is there
        sql(url, "DELETE FROM bnf_schema WHERE version > 1");
        try (JobStore s = open()) {
            assertEquals(Optional.empty(), s.owner("demo"));
            assertNull(s.models().get(0).owner());
            assertNull(s.layers().get(0).owner());
            assertEquals(Optional.of("ana"), s.owner("mine"));
            assertEquals(accepted("mine", T0), s.job("mine").orElseThrow());
        }
        assertEquals(allVersions(), schemaVersions(url));
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        String url = JobStore.h2Url(dir);
        try (JobStore s = open()) {
            s.insert(accepted("j1", T0));
        }
        sql(url, "INSERT INTO bnf_schema (version) VALUES (" + (JobStore.SCHEMA_VERSION + 1) + ")");
        SQLException e = assertThrows(SQLException.class, this::open);
        assertTrue(e.getMessage().contains("schema version " + (JobStore.SCHEMA_VERSION + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void h2UrlPointsIntoTheDataDirectory() {
        String url = JobStore.h2Url(dir);
        assertTrue(url.startsWith("jdbc:h2:file:" + dir.toAbsolutePath().resolve("db").resolve("bayesnf")), url);
        assertTrue(url.contains("TRACE_LEVEL_FILE=0"), url);
    }
}
