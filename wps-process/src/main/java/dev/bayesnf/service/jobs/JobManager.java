package dev.bayesnf.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.CancelledException;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.OutputValue;
import dev.bayesnf.service.process.ProcessContext;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.service.wms.LayerCatalog;
import dev.bayesnf.service.wms.LayerInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one job manager behind WPS 1.0.0 and OGC API - Processes: a bounded queue in front of a
 * fixed number of worker threads, progress and cancellation, results in per-job folders of the
 * data directory, job state in the {@link JobStore}, expiry of finished jobs, and the model
 * registry and WMS layer catalogue.
 *
 * <p>At start-up jobs a previous instance left queued or running are marked failed with a reason;
 * finished jobs, models and layers survive restarts.
 */
public final class JobManager implements AutoCloseable, ModelStore, LayerCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a published raster back from its file. */
    @FunctionalInterface
    public interface RasterReader {
        RasterProduct read(Path file) throws IOException;
    }

    private final ServiceConfig config;
    private final JobStore store;
    private final Map<String, BayesProcess> processes;
    private final RasterReader rasterReader;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService sweeper;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, BayesNFModel> modelCache = lru(8);
    private final Map<String, RasterProduct> rasterCache = lru(16);
    private volatile List<LayerInfo> layerInfos;
    private volatile boolean shuttingDown;

    /** State of a queued or running job, held in memory; the store gets it at most once a second. */
    private static final class Running {
        volatile Job job;
        volatile boolean cancelled;
        volatile long lastWrite;
        volatile Future<?> future;

        Running(Job job) {
            this.job = job;
        }
    }

    public JobManager(ServiceConfig config, JobStore store, List<BayesProcess> processes, RasterReader rasterReader)
            throws SQLException, IOException {
        this.config = config;
        this.store = store;
        this.rasterReader = rasterReader;
        Map<String, BayesProcess> p = new LinkedHashMap<>();
        for (BayesProcess b : processes) {
            p.put(b.spec().id(), b);
        }
        this.processes = Collections.unmodifiableMap(p);
        Files.createDirectories(config.dataDir().resolve("jobs"));
        Files.createDirectories(config.dataDir().resolve("models"));
        Instant now = Instant.now();
        int n = store.failInterrupted(now, now.plus(config.resultExpiry()));
        if (n > 0) {
            LOG.warn("{} job(s) left queued or running by the previous run were marked failed", n);
        }
        this.workers = new ThreadPoolExecutor(config.maxRunningJobs(), config.maxRunningJobs(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(config.maxQueuedJobs()), r -> {
                    Thread t = new Thread(r, "bayesnf-job");
                    t.setDaemon(true);
                    return t;
                });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bayesnf-expiry");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 60, TimeUnit.SECONDS);
    }

    public ServiceConfig config() {
        return config;
    }

    /** The processes, in catalogue order. */
    public Map<String, BayesProcess> processes() {
        return processes;
    }

    public Optional<BayesProcess> process(String id) {
        return Optional.ofNullable(processes.get(id));
    }

    /**
     * Checks and queues a job. Inputs are validated and limits enforced before anything is stored;
     * document inputs are kept in the job's folder (for lineage).
     *
     * @param formats requested media type per output id (absent = default)
     * @param requestInfo extra request facts stored with the job (e.g. WPS response form)
     * @throws ProcessException for invalid inputs, or ServerBusy when the queue is full
     */
    public Job submit(String processId, Map<String, List<InputValue>> inputs, Map<String, String> formats,
            Map<String, Object> requestInfo) throws IOException, SQLException {
        BayesProcess proc = processes.get(processId);
        if (proc == null) {
            throw ProcessException.invalid("Identifier", "no process '" + processId + "'; processes: "
                    + String.join(", ", processes.keySet()));
        }
        ProcessInputs in = new ProcessInputs(proc.spec(), inputs);
        for (String out : formats.keySet()) {
            proc.spec().output(out).orElseThrow(() -> ProcessException.invalid(out, "process " + processId
                    + " has no output '" + out + "'")).format(formats.get(out));
        }
        proc.validate(in, this);
        String id = UUID.randomUUID().toString();
        Path dir = jobDir(id);
        Files.createDirectories(dir.resolve("inputs"));
        ObjectNode req = JSON.createObjectNode();
        ObjectNode ins = req.putObject("inputs");
        int doc = 0;
        for (Map.Entry<String, List<InputValue>> e : in.values().entrySet()) {
            var arr = ins.putArray(e.getKey());
            for (InputValue v : e.getValue()) {
                ObjectNode o = arr.addObject();
                if (v instanceof InputValue.Literal l) {
                    o.put("literal", l.value());
                } else if (v instanceof InputValue.Complex c) {
                    String name = e.getKey() + "-" + (doc++) + ".dat";
                    Files.write(dir.resolve("inputs").resolve(name), c.data());
                    o.put("file", name);
                    o.put("mimeType", c.mimeType());
                } else if (v instanceof InputValue.BoundingBox b) {
                    o.put("crs", b.crs());
                    var lo = o.putArray("lower");
                    for (double d : b.lower()) {
                        lo.add(d);
                    }
                    var up = o.putArray("upper");
                    for (double d : b.upper()) {
                        up.add(d);
                    }
                }
            }
        }
        ObjectNode outs = req.putObject("formats");
        formats.forEach(outs::put);
        req.set("request", JSON.valueToTree(requestInfo));
        Instant now = Instant.now();
        Job job = new Job(id, processId, JobStatus.ACCEPTED, 0, "queued", now, null, null, now, null,
                JSON.writeValueAsString(req), List.of(), null, null, null);
        Running r = new Running(job);
        running.put(id, r);
        store.insert(job);
        try {
            r.future = workers.submit(() -> run(proc, in, formats, r));
        } catch (RejectedExecutionException e) {
            running.remove(id);
            store.deleteJob(id);
            deleteTree(dir);
            throw new ProcessException(ProcessException.Code.SERVER_BUSY, null, "the job queue is full ("
                    + config.maxQueuedJobs() + " waiting); try again later");
        }
        return job;
    }

    private void run(BayesProcess proc, ProcessInputs in, Map<String, String> formats, Running r) {
        String id = r.job.id();
        if (r.cancelled) {
            return;
        }
        update(r, r.job.withState(JobStatus.RUNNING, 0, "running", Instant.now()), true);
        Path dir = jobDir(id);
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
                return JobManager.this;
            }

            @Override
            public String requestedFormat(String outputId) {
                return formats.get(outputId);
            }

            @Override
            public String publishLayer(String title, Path geoTiff) {
                return JobManager.this.publish(id, title, geoTiff);
            }
        };
        Job done;
        try {
            Map<String, OutputValue> out = proc.execute(in, ctx);
            List<StoredOutput> stored = new ArrayList<>();
            for (var o : proc.spec().outputs()) {
                OutputValue v = out.get(o.id());
                if (v instanceof OutputValue.Literal l) {
                    stored.add(new StoredOutput(o.id(), l.value(), null, null, false));
                } else if (v instanceof OutputValue.Document d) {
                    stored.add(new StoredOutput(o.id(), null, dir.relativize(d.file()).toString(),
                            d.format().mimeType(), d.format().binary()));
                }
            }
            Instant now = Instant.now();
            Job j = r.job.withState(JobStatus.SUCCESSFUL, 100, "finished", now);
            done = new Job(j.id(), j.process(), j.status(), j.progress(), j.message(), j.created(), j.started(),
                    j.finished(), j.updated(), now.plus(config.resultExpiry()), j.request(), stored, null, null, null);
        } catch (CancelledException e) {
            done = shuttingDown ? interrupted(r.job)
                    : failed(r.job, JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed");
        } catch (ProcessException e) {
            done = failed(r.job, JobStatus.FAILED, e.code().owsCode(), e.locator(), e.getMessage());
        } catch (OutOfMemoryError e) {
            done = failed(r.job, JobStatus.FAILED, "NotEnoughStorage", null,
                    "the service ran out of memory for this request; use a smaller grid, fewer rows or a smaller ensemble");
        } catch (Exception | StackOverflowError e) {
            LOG.error("job {} ({}) failed", id, proc.spec().id(), e);
            done = failed(r.job, JobStatus.FAILED, "NoApplicableCode", null, "internal error: " + e);
        }
        if (r.cancelled && done.status() != JobStatus.SUCCESSFUL && !shuttingDown) {
            done = failed(r.job, JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed");
        }
        update(r, done, true);
        running.remove(id);
        synchronized (r) {
            r.notifyAll();
        }
    }

    private Job interrupted(Job j) {
        return failed(j, JobStatus.FAILED, "NoApplicableCode", null,
                "the service stopped while this job was running; submit it again");
    }

    private Job failed(Job j, JobStatus s, String code, String locator, String message) {
        Instant now = Instant.now();
        Job f = j.withState(s, j.progress(), s == JobStatus.DISMISSED ? "dismissed" : "failed", now);
        return new Job(f.id(), f.process(), f.status(), f.progress(), f.message(), f.created(), f.started(), f.finished(),
                f.updated(), now.plus(config.resultExpiry()), f.request(), List.of(), code, locator, message);
    }

    private void update(Running r, Job j, boolean force) {
        r.job = j;
        long now = System.nanoTime();
        if (force || now - r.lastWrite > 1_000_000_000L) {
            r.lastWrite = now;
            try {
                store.update(j);
            } catch (SQLException e) {
                LOG.error("cannot store the state of job {}", j.id(), e);
            }
        }
    }

    /** The job with {@code id}: live state for queued and running jobs, else the stored one. */
    public Optional<Job> job(String id) throws SQLException {
        Running r = running.get(id);
        if (r != null) {
            return Optional.of(r.job);
        }
        return store.job(id);
    }

    /** Newest jobs first. */
    public List<Job> jobs(int offset, int limit) throws SQLException {
        List<Job> list = store.jobs(offset, limit);
        List<Job> live = new ArrayList<>(list.size());
        for (Job j : list) {
            Running r = running.get(j.id());
            live.add(r != null ? r.job : j);
        }
        return live;
    }

    /**
     * Waits until the job finishes or {@code timeout} passes.
     *
     * @return the job's state at that moment
     */
    public Job await(String id, Duration timeout) throws SQLException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        Running r = running.get(id);
        if (r != null) {
            synchronized (r) {
                while (running.containsKey(id)) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    r.wait(Math.max(1, left / 1_000_000));
                }
            }
        }
        return job(id).orElseThrow();
    }

    /**
     * Dismisses a job: a queued one never starts, a running one stops at its next check, a finished
     * one has its results deleted.
     *
     * @return the job after dismissal, or empty when there is no such job
     */
    public Optional<Job> dismiss(String id) throws SQLException, InterruptedException {
        Running r = running.get(id);
        if (r != null) {
            r.cancelled = true;
            Future<?> f = r.future;
            if (f != null && f.cancel(false)) {
                // never started
                update(r, failed(r.job, JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed"), true);
                running.remove(id);
                synchronized (r) {
                    r.notifyAll();
                }
            }
            workers.purge();
            return Optional.of(await(id, Duration.ofSeconds(30)));
        }
        Optional<Job> j = store.job(id);
        if (j.isPresent()) {
            Job d = failed(j.get(), JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed");
            if (j.get().status() == JobStatus.SUCCESSFUL) {
                deleteTree(jobDir(id));
                unpublish(id);
            }
            store.update(d.status() == JobStatus.DISMISSED ? d : j.get());
            return Optional.of(d);
        }
        return j;
    }

    /** Folder of a job's inputs and results. */
    public Path jobDir(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("malformed job id");
        }
        return config.dataDir().resolve("jobs").resolve(id);
    }

    /**
     * A result file of a finished, unexpired job, or empty. {@code name} must be a file the job
     * stored (no path from a request reaches anything else).
     */
    public Optional<Path> resultFile(String jobId, String name) throws SQLException {
        if (!jobId.matches("[0-9a-f-]{36}")) {
            return Optional.empty();
        }
        Optional<Job> j = job(jobId);
        if (j.isEmpty() || j.get().status() != JobStatus.SUCCESSFUL) {
            return Optional.empty();
        }
        for (StoredOutput o : j.get().outputs()) {
            if (o.file() != null && o.file().equals(name)) {
                Path p = jobDir(jobId).resolve(o.file()).normalize();
                if (p.startsWith(jobDir(jobId)) && Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** A stored input document of a job (for lineage references). */
    public Optional<Path> inputFile(String jobId, String name) {
        if (!jobId.matches("[0-9a-f-]{36}") || !name.matches("[A-Za-z0-9_.-]+")) {
            return Optional.empty();
        }
        Path p = jobDir(jobId).resolve("inputs").resolve(name).normalize();
        return p.startsWith(jobDir(jobId)) && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    // ---- expiry

    private void sweep() {
        try {
            for (Job j : store.expired(Instant.now())) {
                unpublish(j.id());
                deleteTree(jobDir(j.id()));
                store.deleteJob(j.id());
                LOG.info("job {} expired; its results were deleted", j.id());
            }
        } catch (RuntimeException | SQLException e) {
            LOG.error("expiry sweep failed", e);
        }
    }

    /** Runs the expiry sweep now (tests). */
    public void sweepNow() {
        sweep();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    // ---- models

    @Override
    public String add(BayesNFModel model, String jobId, String title) {
        String id = "m-" + UUID.randomUUID().toString().substring(0, 13);
        Path file = config.dataDir().resolve("models").resolve(id + ".bnf");
        try {
            ModelFile.save(model, file);
            store.insertModel(new JobStore.ModelRow(id, jobId, title, config.dataDir().relativize(file).toString(),
                    Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the model: " + e.getMessage(), e);
        }
        modelCache.put(id, model);
        return id;
    }

    @Override
    public Optional<BayesNFModel> get(String id) {
        BayesNFModel m = modelCache.get(id);
        if (m != null) {
            return Optional.of(m);
        }
        Optional<Path> f = file(id);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        try {
            m = ModelFile.load(f.get());
        } catch (IOException e) {
            throw new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, "model", "model '" + id
                    + "' cannot be read: " + e.getMessage());
        }
        modelCache.put(id, m);
        return Optional.of(m);
    }

    @Override
    public Optional<Path> file(String id) {
        try {
            return store.models().stream().filter(r -> r.id().equals(id)).findFirst()
                    .map(r -> config.dataDir().resolve(r.file()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> ids() {
        try {
            return store.models().stream().map(JobStore.ModelRow::id).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stored model rows (id, job, title, file, created). */
    public List<JobStore.ModelRow> modelRows() throws SQLException {
        return store.models();
    }

    // ---- layers

    private String publish(String jobId, String title, Path geoTiff) {
        String name = "bayesnf:" + jobId.substring(0, 8) + "_" + title.replaceAll("[^A-Za-z0-9_-]", "_");
        name = name.length() > 120 ? name.substring(0, 120) : name;
        Path target = geoTiff;
        try {
            store.insertLayer(new JobStore.LayerRow(name, jobId, title, config.dataDir().relativize(target).toString(),
                    Instant.now()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot publish the layer: " + e.getMessage(), e);
        }
        layerInfos = null;
        return name;
    }

    private void unpublish(String jobId) {
        synchronized (rasterCache) {
            rasterCache.keySet().removeIf(k -> k.startsWith("bayesnf:" + jobId.substring(0, 8) + "_"));
        }
        layerInfos = null;
    }

    @Override
    public List<LayerInfo> layers() {
        List<LayerInfo> l = layerInfos;
        if (l != null) {
            return l;
        }
        List<LayerInfo> list = new ArrayList<>();
        try {
            for (JobStore.LayerRow row : store.layers()) {
                Optional<RasterProduct> r = raster(row);
                r.ifPresent(p -> list.add(new LayerInfo(row.name(), row.title(),
                        "BayesNF " + (p.times().isEmpty() ? "prediction" : "prediction for " + p.times().size()
                                + " time step(s)") + " of " + p.target() + " (job " + row.jobId() + ")",
                        p.grid(), p.times(), p.levels(), p.target(), row.created())));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        layerInfos = List.copyOf(list);
        return layerInfos;
    }

    private Optional<RasterProduct> raster(JobStore.LayerRow row) {
        RasterProduct p = rasterCache.get(row.name());
        if (p != null) {
            return Optional.of(p);
        }
        Path f = config.dataDir().resolve(row.file()).normalize();
        if (!f.startsWith(config.dataDir()) || !Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            p = rasterReader.read(f);
        } catch (IOException | RuntimeException e) {
            LOG.warn("layer {} cannot be read from {}: {}", row.name(), f, e.getMessage());
            return Optional.empty();
        }
        rasterCache.put(row.name(), p);
        return Optional.of(p);
    }

    @Override
    public Optional<RasterProduct> raster(String name) {
        RasterProduct cached = rasterCache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            for (JobStore.LayerRow row : store.layers()) {
                if (row.name().equals(name)) {
                    return raster(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    /** A synchronized map that keeps the {@code max} most recently used entries. */
    private static <V> Map<String, V> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> e) {
                return size() > max;
            }
        });
    }

    @Override
    public void close() throws SQLException {
        shuttingDown = true;
        sweeper.shutdownNow();
        for (Running r : running.values()) {
            r.cancelled = true;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(20, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
