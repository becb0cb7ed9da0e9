package dev.bayesnf.service.jobs;

import dev.bayesnf.core.DurableFiles;

import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.OutputValue;
import dev.bayesnf.service.process.ProcessContext;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.RateLimiter;
import dev.bayesnf.service.security.Role;
import dev.bayesnf.service.layers.LayerCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * data directory, job state in the {@link JobStore}, expiry of finished jobs. The models the jobs
 * store are {@link ModelRegistry}'s ({@link #models()}), the layers they publish
 * {@link LayerRegistry}'s ({@link #layerCatalog()}).
 *
 * <p>Durable: a job is answered accepted only once its request and input documents are on the
 * device, and successful only once its result files are (each with its size and SHA-256, checked
 * again whenever it is served, {@link #storedFile}). At start-up ({@link #recover}) jobs a previous
 * instance left queued or running are queued again from their stored request (the partial results
 * of an interrupted run, its models and layers removed), and what a crash left behind is swept:
 * temporary files, job folders and model files that no job or model row names. Finished jobs,
 * models and layers survive restarts.
 */
public final class JobManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);
    /** Longest literal input value, in characters (longer data comes as a document). */
    public static final int MAX_LITERAL = 100_000;
    /** Longest stored request (the job's literal inputs as JSON), in characters: the request column's size. */
    static final int MAX_REQUEST = 1_000_000;

    /** Reads a published raster back from its file. */
    @FunctionalInterface
    public interface RasterReader {
        RasterProduct read(Path file) throws IOException;
    }

    private final ServiceConfig config;
    /** Execute requests per caller and minute ({@link ServiceConfig#maxExecutesPerMinute}). */
    private final RateLimiter executeRate;
    /** Fetches the inputs given by reference when their job runs. */
    private final ReferenceFetcher references;
    private final JobStore store;
    private final Map<String, BayesProcess> processes;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService sweeper;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** The jobs' and models' files. */
    private final JobFiles files;
    /** The stored models. */
    private final ModelRegistry models;
    /** The published WMS layers. */
    private final LayerRegistry layers;
    /** How often, and past what age, the running service sweeps leftovers nothing names. */
    private static final Duration LEFTOVER_SWEEP = Duration.ofHours(1);
    /** When the last leftover sweep ran (System.nanoTime; the start-up sweep counts). */
    private volatile long lastLeftoverSweep = System.nanoTime();
    private volatile boolean shuttingDown;

    /** State of a queued or running job, held in memory; the store gets it at most once a second. */
    private static final class Running {
        volatile Job job;
        volatile boolean cancelled;
        /** Set with {@link #cancelled} when the job ran past its process's time limit. */
        volatile boolean timedOut;
        volatile long lastWrite;
        volatile Future<?> future;
        /** The account that submitted the job (null: anonymous or the service). */
        final String owner;
        /** Whom the per-caller limit counts the job for ({@link Principal#caller}). */
        final String caller;

        Running(Job job, String owner, String caller) {
            this.job = job;
            this.owner = owner;
            this.caller = caller;
        }
    }

    public JobManager(ServiceConfig config, JobStore store, List<BayesProcess> processes, RasterReader rasterReader)
            throws SQLException, IOException {
        this.config = config;
        this.executeRate = new RateLimiter(config.maxExecutesPerMinute());
        this.references = new ReferenceFetcher(config.processLimits());
        this.store = store;
        this.models = new ModelRegistry(config.dataDir(), store, config.modelExpiry(), this::ownerOf);
        this.layers = new LayerRegistry(config.dataDir(), store, rasterReader, this::ownerOf);
        Map<String, BayesProcess> p = new LinkedHashMap<>();
        for (BayesProcess b : processes) {
            p.put(b.spec().id(), b);
        }
        this.processes = Collections.unmodifiableMap(p);
        this.files = new JobFiles(config.dataDir(), store);
        this.workers = new ThreadPoolExecutor(config.maxRunningJobs(), config.maxRunningJobs(), 0, TimeUnit.SECONDS,
                // unbounded: the limit on waiting jobs is enforced when a job is submitted, so that
                // jobs queued again at start-up always find room
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "bayesnf-job");
                    t.setDaemon(true);
                    return t;
                });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bayesnf-expiry");
            t.setDaemon(true);
            return t;
        });
        recover();
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 60, TimeUnit.SECONDS);
    }

    /**
     * Start-up after a stop or a crash: every job left accepted or running is queued again from
     * its stored request (the leftovers of an interrupted run removed first), or failed with the
     * reason when that request can no longer run; then leftovers no row names are deleted.
     */
    private void recover() throws SQLException, IOException {
        Instant now = Instant.now();
        int again = 0;
        List<Runnable> queue = new ArrayList<>();
        for (Job j : store.jobsIn(JobStatus.ACCEPTED, JobStatus.RUNNING)) {
            BayesProcess proc = processes.get(j.process());
            Path dir = jobDir(j.id());
            ProcessInputs in;
            Map<String, String> formats;
            try {
                if (proc == null) {
                    throw new IOException("this service has no process '" + j.process() + "' any more");
                }
                StoredRequest req = StoredRequest.parse(j.request());
                formats = req.formats();
                in = new ProcessInputs(proc.spec(), storedInputs(req, dir.resolve("inputs")));
            } catch (IOException | RuntimeException e) {
                LOG.warn("job {} cannot be queued again after the restart: {}", j.id(), e.getMessage());
                Job f = failed(j, JobStatus.FAILED, "NoApplicableCode", null,
                        "the service stopped while this job was queued or running, and its request cannot be run"
                                + " again; submit it again");
                store.requeue(f);
                continue;
            }
            // an interrupted run's partial results go (its model and layer rows with the requeue,
            // their files with the sweep below); its inputs stay
            try (Stream<Path> partial = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
                for (Path f : partial.toList()) {
                    if (!f.getFileName().toString().equals("inputs")) {
                        JobFiles.deleteTree(f);
                    }
                }
            }
            Job queued = new Job(j.id(), j.process(), JobStatus.ACCEPTED, 0, "queued again after a service restart",
                    j.created(), null, null, now, null, j.request(), List.of(), null, null, null);
            store.requeue(queued);
            String owner = store.owner(j.id()).orElse(null);
            // a restarted job counts for its account, or for the anonymous callers together (the
            // address it came from is not stored)
            Running r = new Running(queued, owner, new Principal(owner, Role.VIEWER).caller());
            running.put(j.id(), r);
            queue.add(() -> r.future = workers.submit(() -> run(proc, in, formats, r)));
            again++;
        }
        // swept before anything runs: a running job's temporary files are not leftovers
        sweepLeftovers(null);
        queue.forEach(Runnable::run);
        if (again > 0) {
            LOG.warn("{} job(s) left queued or running by the previous run were queued again", again);
        }
    }

    /** The inputs of a stored request, documents read from {@code inputs}. */
    private static Map<String, List<InputValue>> storedInputs(StoredRequest req, Path inputs) throws IOException {
        Map<String, List<InputValue>> map = new LinkedHashMap<>();
        for (Map.Entry<String, List<StoredRequest.StoredInput>> e : req.inputs().entrySet()) {
            List<InputValue> values = new ArrayList<>();
            for (StoredRequest.StoredInput v : e.getValue()) {
                if (v instanceof StoredRequest.StoredInput.Literal l) {
                    values.add(new InputValue.Literal(l.value()));
                } else if (v instanceof StoredRequest.StoredInput.Document d) {
                    if (!d.file().matches("[A-Za-z0-9_.-]+")) {
                        throw new IOException("stored input '" + e.getKey() + "' has a malformed file name");
                    }
                    values.add(new InputValue.Complex(Files.readAllBytes(inputs.resolve(d.file())), d.mimeType()));
                } else if (v instanceof StoredRequest.StoredInput.Reference r) {
                    values.add(new InputValue.Reference(r.href(), r.mimeType(), r.bodyBytes()));
                } else if (v instanceof StoredRequest.StoredInput.Box b) {
                    values.add(new InputValue.BoundingBox(b.crs(), b.lower(), b.upper()));
                }
            }
            map.put(e.getKey(), values);
        }
        return map;
    }

    /**
     * Deletes what a crash or an interrupted run left that nothing names ({@link JobFiles#sweepLeftovers});
     * with {@code before}, only what is older, as while jobs run.
     */
    private void sweepLeftovers(Instant before) throws SQLException, IOException {
        files.sweepLeftovers(before, running::containsKey);
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
     * The process with {@code id}, or an InvalidParameterValue refusal (locator
     * {@code Identifier}) that lists the processes.
     */
    public BayesProcess requireProcess(String id) {
        BayesProcess proc = processes.get(id);
        if (proc == null) {
            throw ProcessException.invalid("Identifier", "no process '" + id + "'; processes: "
                    + String.join(", ", processes.keySet()));
        }
        return proc;
    }

    /** {@link #submit(BayesProcess, Map, ResponseOptions)} of the process {@code processId}, nothing asked of the results. */
    public Job submit(String processId, Map<String, List<InputValue>> inputs) throws IOException, SQLException {
        return submit(requireProcess(processId), inputs, ResponseOptions.NONE);
    }

    /** {@link #submit(BayesProcess, Map, ResponseOptions)} of the process {@code processId}. */
    public Job submit(String processId, Map<String, List<InputValue>> inputs, ResponseOptions options)
            throws IOException, SQLException {
        return submit(requireProcess(processId), inputs, options);
    }

    /**
     * Checks and queues a job; the one place a request is checked, for every front end: the
     * requested outputs and media types, the caller's role and limits, the inputs. Nothing is
     * stored before; document inputs are kept in the job's folder (for lineage).
     *
     * @param proc the process ({@link #requireProcess})
     * @param options what the client asked of the results, stored with the job
     * @throws ProcessException for invalid inputs or outputs, or ServerBusy when the queue is full
     */
    public Job submit(BayesProcess proc, Map<String, List<InputValue>> inputs, ResponseOptions options)
            throws IOException, SQLException {
        String processId = proc.spec().id();
        Map<String, String> formats = formats(proc.spec(), options);
        Principal who = Principal.current();
        if (!who.role().mayExecute(processId)) {
            throw new ProcessException(ProcessException.Code.FORBIDDEN, "Identifier", who.describe() + " ("
                    + who.role().id() + ") may not run " + processId);
        }
        if (who != Principal.SYSTEM) {
            long wait = executeRate.acquire(who.caller());
            if (wait > 0) {
                throw new ProcessException(ProcessException.Code.TOO_MANY_JOBS, null, who.describe() + " has made "
                        + config.maxExecutesPerMinute() + " Execute requests in the last minute, as many as this"
                        + " service allows; try again in " + wait + " s", wait);
            }
        }
        for (Map.Entry<String, List<InputValue>> e : inputs.entrySet()) {
            for (InputValue v : e.getValue()) {
                if (v instanceof InputValue.Literal l && l.value() != null && l.value().length() > MAX_LITERAL) {
                    throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, e.getKey(), "input '"
                            + e.getKey() + "' is a literal of " + l.value().length() + " characters; literals are at"
                            + " most " + MAX_LITERAL + " (send data as a document)");
                }
            }
        }
        ProcessInputs in = new ProcessInputs(proc.spec(), inputs);
        proc.validate(in, models);
        if (workers.getQueue().size() >= config.maxQueuedJobs()) {
            throw busy();
        }
        if (who != Principal.SYSTEM) {
            // one caller may not take the whole queue: an account's jobs, or one anonymous address's
            String caller = who.caller();
            long mine = running.values().stream().filter(r -> caller.equals(r.caller)).count();
            if (mine >= config.maxJobsPerCaller()) {
                throw new ProcessException(ProcessException.Code.TOO_MANY_JOBS, null, who.describe() + " has " + mine
                        + " jobs queued or running, as many as this service allows at once; wait for one to finish");
            }
        }
        if (who != Principal.SYSTEM && config.maxStoragePerCaller() > 0) {
            long used = storageUsed(who.name());
            if (used >= config.maxStoragePerCaller()) {
                throw new ProcessException(ProcessException.Code.NOT_ENOUGH_STORAGE, null, (who.anonymous()
                        ? "anonymous callers together store " : who.describe() + " stores ") + mebibytes(used)
                        + " MiB of jobs, results and models, of the " + mebibytes(config.maxStoragePerCaller())
                        + " MiB allowed; dismiss finished jobs to free space");
            }
        }
        // what the service does by itself (the demo) belongs to no account: shared, like anonymous work
        String owner = who == Principal.SYSTEM ? null : who.name();
        String id = UUID.randomUUID().toString();
        Path dir = jobDir(id);
        Files.createDirectories(dir.resolve("inputs"));
        DurableFiles.forceDirectory(dir.getParent());
        DurableFiles.forceDirectory(dir);
        Map<String, List<StoredRequest.StoredInput>> stored = new LinkedHashMap<>();
        int doc = 0;
        for (Map.Entry<String, List<InputValue>> e : in.values().entrySet()) {
            List<StoredRequest.StoredInput> values = new ArrayList<>();
            for (InputValue v : e.getValue()) {
                if (v instanceof InputValue.Literal l) {
                    values.add(new StoredRequest.StoredInput.Literal(l.value()));
                } else if (v instanceof InputValue.Reference ref) {
                    // fetched when the job runs, again after a restart
                    values.add(new StoredRequest.StoredInput.Reference(ref.href(), ref.mimeType(), ref.body() == null
                            ? null : java.util.Base64.getEncoder().encodeToString(ref.body())));
                } else if (v instanceof InputValue.Complex c) {
                    String name = e.getKey() + "-" + (doc++) + ".dat";
                    DurableFiles.write(dir.resolve("inputs").resolve(name), c.data());
                    values.add(new StoredRequest.StoredInput.Document(name, c.mimeType()));
                } else if (v instanceof InputValue.BoundingBox b) {
                    values.add(new StoredRequest.StoredInput.Box(b.crs(), b.lower(), b.upper()));
                }
            }
            stored.put(e.getKey(), values);
        }
        Instant now = Instant.now();
        String request = new StoredRequest(stored, formats, options).toJson();
        if (request.length() > MAX_REQUEST) {
            JobFiles.deleteTree(dir);
            throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, null, "the request's literal values"
                    + " take " + request.length() + " characters; at most " + MAX_REQUEST + " are stored with a job");
        }
        Job job = new Job(id, processId, JobStatus.ACCEPTED, 0, "queued", now, null, null, now, null, request,
                List.of(), null, null, null);
        try {
            store.insert(job, owner);
        } catch (SQLException | RuntimeException e) {
            // nothing half-made stays behind: no folder, no job in memory
            JobFiles.deleteTree(dir);
            throw e;
        }
        Running r = new Running(job, owner, who.caller());
        running.put(id, r);
        try {
            r.future = workers.submit(() -> run(proc, in, formats, r));
        } catch (RejectedExecutionException e) {
            running.remove(id);
            store.deleteJob(id);
            JobFiles.deleteTree(dir);
            throw busy();
        }
        return job;
    }

    private ProcessException busy() {
        return new ProcessException(ProcessException.Code.SERVER_BUSY, null, "the job queue is full ("
                + config.maxQueuedJobs() + " waiting); try again later");
    }

    /**
     * The media type asked for per document output; refuses an output the process does not have
     * or a media type the output is not offered in.
     */
    private static Map<String, String> formats(ProcessSpec spec, ResponseOptions options) {
        Map<String, String> formats = new LinkedHashMap<>();
        for (ResponseOptions.Output o : options.outputs()) {
            OutputSpec os = spec.output(o.id()).orElseThrow(() -> ProcessException.invalid(o.id(),
                    "process " + spec.id() + " has no output '" + o.id() + "'; outputs: "
                            + spec.outputs().stream().map(OutputSpec::id).toList()));
            if (o.mediaType() != null && os.kind() == DataKind.COMPLEX) {
                os.format(o.mediaType());
                formats.put(o.id(), o.mediaType());
            }
        }
        return formats;
    }

    private void run(BayesProcess proc, ProcessInputs in, Map<String, String> formats, Running r) {
        String id = r.job.id();
        if (r.cancelled) {
            return;
        }
        update(r, r.job.withState(JobStatus.RUNNING, 0, "running", Instant.now()), true);
        Path dir = jobDir(id);
        Optional<Duration> limit = config.jobTimeLimit(proc.spec().id());
        java.util.concurrent.ScheduledFuture<?> watchdog = limit.map(d -> sweeper.schedule(() -> {
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
            done = r.timedOut ? timedOut(r.job, proc, limit.orElseThrow()) : shuttingDown ? requeued(r.job)
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
        } else if (r.cancelled && done.status() != JobStatus.SUCCESSFUL && !shuttingDown) {
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
    private Job requeued(Job j) {
        return new Job(j.id(), j.process(), JobStatus.ACCEPTED, 0, "interrupted by a service stop; it runs again at"
                + " the next start", j.created(), null, null, Instant.now(), null, j.request(), List.of(), null, null,
                null);
    }

    private Job failed(Job j, JobStatus s, String code, String locator, String message) {
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
    private void update(Running r, Job j, boolean force) {
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

    /**
     * The job with {@code id}: live state for queued and running jobs, else the stored one; empty
     * when the current caller may not see it (only its owner and admins do, {@link Principal}).
     */
    public Optional<Job> job(String id) throws SQLException {
        Running r = running.get(id);
        if (r != null) {
            return visible(r.owner) ? Optional.of(r.job) : Optional.empty();
        }
        Optional<Job> j = store.job(id);
        return j.isPresent() && visible(store.owner(id).orElse(null)) ? j : Optional.empty();
    }

    /**
     * Whether the current caller may see a job of {@code owner}: an admin sees every job, an
     * account its own, anonymous callers the anonymous ones.
     */
    private static boolean visible(String owner) {
        Principal who = Principal.current();
        return who.role() == Role.ADMIN || java.util.Objects.equals(owner, who.name());
    }

    /** Newest jobs first: the current caller's (every job for an admin). */
    public List<Job> jobs(int offset, int limit) throws SQLException {
        Principal who = Principal.current();
        List<Job> list = who.role() == Role.ADMIN ? store.jobs(offset, limit)
                : store.jobsOf(who.name(), offset, limit);
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
        Optional<Job> known = job(id);
        if (known.isEmpty()) {
            return known;
        }
        Principal who = Principal.current();
        String owner = store.owner(id).orElse(null);
        if (!who.role().mayExecute(known.get().process())
                || (who.role() != Role.ADMIN && owner != null && !owner.equals(who.name()))) {
            throw new ProcessException(ProcessException.Code.FORBIDDEN, "jobId", who.describe() + " ("
                    + who.role().id() + ") may not dismiss job " + id);
        }
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
            // recorded first: a crash before the files are gone leaves a dismissed job whose
            // leftovers the next start sweeps, never a successful one without its results
            store.update(d);
            if (j.get().status() == JobStatus.SUCCESSFUL) {
                layers.unpublish(id);
                models.deleteModelsOf(id);
                JobFiles.deleteTree(jobDir(id));
            }
            return Optional.of(d);
        }
        return j;
    }

    /**
     * The bytes an account (null: anonymous callers) keeps: its jobs' requests and outputs in the
     * database (counted as characters), its jobs' folders (inputs, results, layers) and its model
     * files.
     */
    public long storageUsed(String owner) throws SQLException, IOException {
        long total = 0;
        for (Map.Entry<String, Long> job : store.jobSizesOf(owner).entrySet()) {
            String id = job.getKey();
            total += job.getValue();
            Path dir;
            try {
                dir = jobDir(id);
            } catch (IllegalArgumentException e) {
                continue;
            }
            total += JobFiles.treeSize(dir);
        }
        total += models.bytesOf(owner);
        return total;
    }

    private static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    /**
     * A result file of a finished, unexpired job, or empty. {@code name} must be a file the job
     * stored (no path from a request reaches anything else).
     *
     * @throws DamagedResultException when the file is missing or differs from what the job stored
     */
    public Optional<Path> resultFile(String jobId, String name) throws SQLException, DamagedResultException {
        if (!jobId.matches("[0-9a-f-]{36}")) {
            return Optional.empty();
        }
        Optional<Job> j = job(jobId);
        if (j.isEmpty() || j.get().status() != JobStatus.SUCCESSFUL) {
            return Optional.empty();
        }
        for (StoredOutput o : j.get().outputs()) {
            if (o.file() != null && o.file().equals(name)) {
                return Optional.of(storedFile(j.get(), o));
            }
        }
        return Optional.empty();
    }

    /** Folder of a job's inputs and results. */
    public Path jobDir(String id) {
        return files.jobDir(id);
    }

    /**
     * The file of a finished job's document output, checked against the size and SHA-256 stored
     * when the job finished.
     *
     * @throws DamagedResultException when the file is missing or differs
     */
    public Path storedFile(Job job, StoredOutput o) throws DamagedResultException {
        return files.storedFile(job, o);
    }

    /** A stored input document of a job (for lineage references). */
    public Optional<Path> inputFile(String jobId, String name) throws SQLException {
        if (!jobId.matches("[0-9a-f-]{36}") || !name.matches("[A-Za-z0-9_.-]+") || job(jobId).isEmpty()) {
            return Optional.empty();
        }
        Path p = jobDir(jobId).resolve("inputs").resolve(name).normalize();
        return p.startsWith(jobDir(jobId)) && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    // ---- expiry

    private void sweep() {
        try {
            for (Job j : store.expired(Instant.now())) {
                layers.unpublish(j.id());
                JobFiles.deleteTree(jobDir(j.id()));
                store.deleteJob(j.id());
                LOG.info("job {} expired; its results were deleted", j.id());
            }
            // what nothing names, now and then while the service runs (at start-up, everything)
            long now = System.nanoTime();
            if (now - lastLeftoverSweep > LEFTOVER_SWEEP.toNanos()) {
                lastLeftoverSweep = now;
                sweepLeftovers(Instant.now().minus(LEFTOVER_SWEEP));
            }
            models.expire();
        } catch (RuntimeException | SQLException | IOException e) {
            LOG.error("expiry sweep failed", e);
        }
    }

    /** Runs the sweep of leftovers older than its age limit now, as the running service does hourly (tests). */
    public void sweepLeftoversNow() throws SQLException, IOException {
        sweepLeftovers(Instant.now().minus(LEFTOVER_SWEEP));
    }

    /** Runs the expiry sweep now (tests). */
    public void sweepNow() {
        sweep();
    }

    // ---- models and layers

    /** The stored models the current caller may use (the processes' {@link ModelStore}). */
    public ModelStore models() {
        return models;
    }

    /** The published WMS layers, as the current caller may see them. */
    public LayerCatalog layerCatalog() {
        return layers;
    }

    /** Stored model rows (id, job, title, file, created). */
    public List<JobStore.ModelRow> modelRows() throws SQLException {
        return models.rows();
    }

    /** The account that submitted a running job (null: anonymous, the service, or not running). */
    private String ownerOf(String jobId) {
        Running r = jobId == null ? null : running.get(jobId);
        return r == null ? null : r.owner;
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
