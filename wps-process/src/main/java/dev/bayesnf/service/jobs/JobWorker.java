package dev.bayesnf.service.jobs;

import dev.bayesnf.core.DurableFiles;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.OutputValue;
import dev.bayesnf.service.process.ProcessContext;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of the {@link JobManager}: runs a job (references fetched, the process executed
 * with its {@link ProcessContext}, results forced to the device with their checksums, the time
 * limit watched), and moves it through its states in the store: running, successful, failed,
 * dismissed, or accepted again when the service stops under it.
 */
final class JobWorker {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final ServiceConfig config;
    private final JobStore store;
    private final JobFiles files;
    private final ReferenceFetcher references;
    private final ModelRegistry models;
    private final LayerRegistry layers;
    /** Runs the time-limit watchdogs. */
    private final ScheduledExecutorService timer;
    private final Map<String, RunningJob> running;
    private final BooleanSupplier shuttingDown;

    JobWorker(ServiceConfig config, JobStore store, JobFiles files, ReferenceFetcher references, ModelRegistry models,
            LayerRegistry layers, ScheduledExecutorService timer, Map<String, RunningJob> running,
            BooleanSupplier shuttingDown) {
        this.config = config;
        this.store = store;
        this.files = files;
        this.references = references;
        this.models = models;
        this.layers = layers;
        this.timer = timer;
        this.running = running;
        this.shuttingDown = shuttingDown;
    }

    /** Runs a job on the calling (worker) thread, from queued to finished, failed or dismissed. */
    void run(BayesProcess proc, ProcessInputs in, Map<String, String> formats, RunningJob r) {
        String id = r.job.id();
        if (r.cancelled) {
            return;
        }
        update(r, r.job.withState(JobStatus.RUNNING, 0, "running", Instant.now()), true);
        Path dir = files.jobDir(id);
        Optional<Duration> limit = config.jobTimeLimit(proc.spec().id());
        java.util.concurrent.ScheduledFuture<?> watchdog = limit.map(d -> timer.schedule(() -> {
            r.timedOut = true;
            r.cancelled = true;
        }, d.toMillis(), TimeUnit.MILLISECONDS)).orElse(null);
        ProcessContext ctx = new ProcessContext() {
            @Override
            public String jobId() {
                return id;
            }

            @Override
            public Path resultDir() {
                return dir;
            }

            @Override
            public void progress(double percent, String message) {
                int p = (int) Math.max(0, Math.min(99, Math.floor(percent)));
                update(r, r.job.withState(JobStatus.RUNNING, p, message, Instant.now()), false);
            }

            @Override
            public boolean isCancelled() {
                return r.cancelled;
            }

            @Override
            public ModelStore models() {
                return models;
            }

            @Override
            public String requestedFormat(String outputId) {
                return formats.get(outputId);
            }

            @Override
            public String publishLayer(String title, Path geoTiff) {
                return layers.publish(id, title, geoTiff);
            }
        };
        Job done;
        try {
            ProcessInputs ready = in;
            if (in.hasReferences()) {
                // fetched here, not while the request was read: the caller has its 201 already,
                // and a slow host holds this job, not a request thread
                ctx.progress(0, "fetching the inputs given by reference");
                ready = in.resolved(references);
                proc.validate(ready, models);
            }
            Map<String, OutputValue> out = proc.execute(ready, ctx);
            List<StoredOutput> stored = new ArrayList<>();
            for (var o : proc.spec().outputs()) {
                OutputValue v = out.get(o.id());
                if (v instanceof OutputValue.Literal l) {
                    stored.add(new StoredOutput(o.id(), l.value(), null, null, false));
                } else if (v instanceof OutputValue.Document d) {
                    // on the device, with its checksum, before the job says successful
                    DurableFiles.force(d.file());
                    stored.add(new StoredOutput(o.id(), null, dir.relativize(d.file()).toString(),
                            d.format().mimeType(), d.format().binary(), DurableFiles.sha256(d.file()),
                            Files.size(d.file())));
                }
            }
            DurableFiles.forceDirectory(dir);
            Instant now = Instant.now();
            Job j = r.job.withState(JobStatus.SUCCESSFUL, 100, "finished", now);
            done = new Job(j.id(), j.process(), j.status(), j.progress(), j.message(), j.created(), j.started(),
                    j.finished(), j.updated(), now.plus(config.resultExpiry()), j.request(), stored, null, null, null);
        } catch (java.util.concurrent.CancellationException e) {
            done = r.timedOut ? timedOut(r.job, proc, limit.orElseThrow()) : shuttingDown.getAsBoolean() ? requeued(r.job)
                    : failed(r.job, JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed");
        } catch (ProcessException e) {
            done = failed(r.job, JobStatus.FAILED, e.code().owsCode(), e.locator(), e.getMessage());
        } catch (OutOfMemoryError e) {
            done = failed(r.job, JobStatus.FAILED, "NotEnoughStorage", null,
                    "the service ran out of memory for this request; use a smaller grid, fewer rows or a smaller ensemble");
        } catch (Exception | StackOverflowError e) {
            // no exception class or message to the client: a reference into the log
            String ref = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("job {} ({}) failed (ref {})", id, proc.spec().id(), ref, e);
            done = failed(r.job, JobStatus.FAILED, "NoApplicableCode", null, "internal error (ref " + ref
                    + "); see the service log");
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        if (r.timedOut && done.status() != JobStatus.SUCCESSFUL) {
            done = timedOut(r.job, proc, limit.orElseThrow());
        } else if (r.cancelled && done.status() != JobStatus.SUCCESSFUL && !shuttingDown.getAsBoolean()) {
            done = failed(r.job, JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed");
        }
        update(r, done, true);
        running.remove(id);
        synchronized (r) {
            r.notifyAll();
        }
    }

    private Job timedOut(Job j, BayesProcess proc, Duration limit) {
        long minutes = limit.toMinutes();
        return failed(j, JobStatus.FAILED, "NoApplicableCode", null, "the job ran longer than this service's limit"
                + " for " + proc.spec().id() + " (" + (minutes >= 1 ? minutes + " min" : limit.toSeconds() + " s")
                + ") and was stopped; ask for less (fewer epochs, a smaller grid) or ask the operator for a longer"
                + " limit");
    }

    /** A job the service stops while it runs: accepted again, for the next start to run it ({@link #recover}). */
    Job requeued(Job j) {
        return new Job(j.id(), j.process(), JobStatus.ACCEPTED, 0, "interrupted by a service stop; it runs again at"
                + " the next start", j.created(), null, null, Instant.now(), null, j.request(), List.of(), null, null,
                null);
    }

    Job failed(Job j, JobStatus s, String code, String locator, String message) {
        Instant now = Instant.now();
        Job f = j.withState(s, j.progress(), s == JobStatus.DISMISSED ? "dismissed" : "failed", now);
        return new Job(f.id(), f.process(), f.status(), f.progress(), f.message(), f.created(), f.started(), f.finished(),
                f.updated(), now.plus(config.resultExpiry()), f.request(), List.of(), code, locator, message);
    }

    /**
     * Moves a queued or running job to {@code j}. A forced update (a state change) is shown to
     * clients only once it is durable: a client that saw "successful" must find it after a crash.
     * When it cannot be stored, clients keep seeing the state before (a finished job then stays
     * running in the store, and the next start runs it again). Progress updates are shown at once
     * and stored at most once a second.
     */
    void update(RunningJob r, Job j, boolean force) {
        long now = System.nanoTime();
        if (force) {
            try {
                store.update(j, true);
                r.lastWrite = now;
                r.job = j;
            } catch (SQLException e) {
                LOG.error("cannot store the state of job {}", j.id(), e);
            }
            return;
        }
        r.job = j;
        if (now - r.lastWrite > 1_000_000_000L) {
            r.lastWrite = now;
            try {
                store.update(j, false);
            } catch (SQLException e) {
                LOG.error("cannot store the progress of job {}", j.id(), e);
            }
        }
    }
}
