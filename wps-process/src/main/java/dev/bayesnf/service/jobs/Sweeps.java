package dev.bayesnf.service.jobs;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobManager}'s sweeps: finished jobs past their expiry deleted (rows, folders, layers),
 * expired models, and the leftovers nothing names ({@link JobFiles#sweepLeftovers}), everything at
 * start-up, then hourly what is older than an hour.
 */
final class Sweeps {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);
    /** How often, and past what age, the running service sweeps leftovers nothing names. */
    static final Duration LEFTOVER_SWEEP = Duration.ofHours(1);

    private final JobStore store;
    private final JobFiles files;
    private final ModelRegistry models;
    private final LayerRegistry layers;
    /** Whether a job is queued or running (its files are no leftovers). */
    private final Predicate<String> running;
    /** When the last leftover sweep ran (System.nanoTime; the start-up sweep counts). */
    private volatile long lastLeftoverSweep = System.nanoTime();

    Sweeps(JobStore store, JobFiles files, ModelRegistry models, LayerRegistry layers, Predicate<String> running) {
        this.store = store;
        this.files = files;
        this.models = models;
        this.layers = layers;
        this.running = running;
    }

    /**
     * Deletes what a crash or an interrupted run left that nothing names; with {@code before},
     * only what is older, as while jobs run.
     */
    void leftovers(Instant before) throws SQLException, IOException {
        files.sweepLeftovers(before, running);
    }

    /** The periodic sweep: expired jobs and models, and leftovers when an hour has passed. */
    void expiry() {
        try {
            for (Job j : store.expired(Instant.now())) {
                layers.unpublish(j.id());
                JobFiles.deleteTree(files.jobDir(j.id()));
                store.deleteJob(j.id());
                LOG.info("job {} expired; its results were deleted", j.id());
            }
            // what nothing names, now and then while the service runs (at start-up, everything)
            long now = System.nanoTime();
            if (now - lastLeftoverSweep > LEFTOVER_SWEEP.toNanos()) {
                lastLeftoverSweep = now;
                leftovers(Instant.now().minus(LEFTOVER_SWEEP));
            }
            models.expire();
        } catch (RuntimeException | SQLException | IOException e) {
            LOG.error("expiry sweep failed", e);
        }
    }
}
