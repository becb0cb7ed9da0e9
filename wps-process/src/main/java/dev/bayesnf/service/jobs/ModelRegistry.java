package dev.bayesnf.service.jobs;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.ProcessException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored models: a row in the job store and a file under {@code models/} each, loaded
 * through a small cache, private to the account whose job stored them, and expired when unused
 * for the configured time. Rows go before files when deleting, so that no row ever names a
 * missing file (a file without a row is a leftover the sweep removes).
 *
 * <p>Thread-safe.
 */
final class ModelRegistry implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final Path dataDir;
    private final JobStore store;
    private final Duration expiry;
    /** The account that submitted a running job (null: anonymous, the service, or not running). */
    private final Function<String, String> ownerOfJob;
    private final Map<String, BayesNFModel> cache = Ownership.lru(8);
    /** When each model's use was last recorded (System.nanoTime), for {@link #touch}. */
    private final Map<String, Long> lastTouched = Ownership.lru(4096);

    ModelRegistry(Path dataDir, JobStore store, Duration expiry, Function<String, String> ownerOfJob) {
        this.dataDir = dataDir;
        this.store = store;
        this.expiry = expiry;
        this.ownerOfJob = ownerOfJob;
    }

    @Override
    public String add(BayesNFModel model, String jobId, String title) {
        String id = "m-" + UUID.randomUUID().toString().substring(0, 13);
        Path file = dataDir.resolve("models").resolve(id + ".bnf");
        try {
            ModelFile.save(model, file);
            store.insertModel(new JobStore.ModelRow(id, jobId, title, dataDir.relativize(file).toString(),
                    Instant.now(), jobId == null ? null : ownerOfJob.apply(jobId)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the model: " + e.getMessage(), e);
        }
        cache.put(id, model);
        return id;
    }

    /** The model rows the current caller may use. */
    private Stream<JobStore.ModelRow> usable() {
        try {
            return store.models().stream().filter(r -> Ownership.usable(r.owner()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<BayesNFModel> get(String id) {
        Optional<Path> f = file(id);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        touch(id);
        BayesNFModel m = cache.get(id);
        if (m != null) {
            return Optional.of(m);
        }
        try {
            m = ModelFile.load(f.get());
        } catch (IOException e) {
            // the details (with the file's path) go to the log, not to the client
            LOG.error("model {} cannot be read: {}", id, e.getMessage());
            throw new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, "model", "model '" + id
                    + "' cannot be read: its stored file is damaged; fit it again");
        }
        cache.put(id, m);
        return Optional.of(m);
    }

    /** The model's file, when the current caller may use the model. */
    @Override
    public Optional<Path> file(String id) {
        return usable().filter(r -> r.id().equals(id)).findFirst().map(r -> dataDir.resolve(r.file()));
    }

    /** The ids of the models the current caller may use. */
    @Override
    public List<String> ids() {
        return usable().map(JobStore.ModelRow::id).toList();
    }

    /** Every stored model row (id, job, title, file, created, owner), whoever asks. */
    List<JobStore.ModelRow> rows() throws SQLException {
        return store.models();
    }

    /** Deletes the models a job stored (rows first, so that no row names a missing file). */
    void deleteModelsOf(String jobId) throws SQLException {
        for (JobStore.ModelRow m : store.models()) {
            if (jobId.equals(m.jobId())) {
                store.deleteModel(m.id());
                cache.remove(m.id());
                try {
                    Files.deleteIfExists(dataDir.resolve(m.file()));
                } catch (IOException e) {
                    LOG.warn("cannot delete model file {}: {}", m.file(), e.getMessage());
                }
            }
        }
    }

    /** Deletes the models unused for the expiry time (nothing when it is zero: kept for ever). */
    void expire() throws SQLException, IOException {
        if (expiry.isZero()) {
            return;
        }
        for (JobStore.ModelRow m : store.modelsUnusedSince(Instant.now().minus(expiry))) {
            // the row first: a crash after it leaves a file without a row, which the
            // leftover sweep removes, never a row without its file
            store.deleteModel(m.id());
            cache.remove(m.id());
            lastTouched.remove(m.id());
            Files.deleteIfExists(dataDir.resolve(m.file()));
            LOG.info("model {} expired (not used for {} days); its file was deleted", m.id(), expiry.toDays());
        }
    }

    /** The bytes of the model files of {@code owner} (null: those without owner). */
    long bytesOf(String owner) throws SQLException, IOException {
        long total = 0;
        for (JobStore.ModelRow m : store.models()) {
            if (Objects.equals(m.owner(), owner)) {
                try {
                    total += Files.size(dataDir.resolve(m.file()));
                } catch (java.nio.file.NoSuchFileException e) {
                    // removed since it was listed
                }
            }
        }
        return total;
    }

    /**
     * Records a use of a model for its expiry, at most once per a tenth of the expiry (and per
     * hour), so that a map client's stream of requests does not write to the database each time.
     */
    private void touch(String id) {
        if (expiry.isZero()) {
            return;
        }
        long now = System.nanoTime();
        long every = Math.min(expiry.toNanos() / 10, Duration.ofHours(1).toNanos());
        Long last = lastTouched.get(id);
        if (last != null && now - last < every) {
            return;
        }
        lastTouched.put(id, now);
        try {
            store.touchModel(id, Instant.now());
        } catch (SQLException e) {
            LOG.warn("cannot record the use of model {}: {}", id, e.getMessage());
        }
    }
}
