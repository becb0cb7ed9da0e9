package dev.bayesnf.service.jobs;

import dev.bayesnf.core.DurableFiles;

import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.process.ReferenceFetcher;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.service.security.Principal;
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
 *
 * <p>Its parts: {@link Admission} (whether a caller may submit now), {@link StoredRequest} (the
 * request as stored), {@link JobWorker} (a job's run and states), {@link JobFiles}, {@link Sweeps}
 * (expiry, leftovers), {@link ModelRegistry}, {@link LayerRegistry}.
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
    /** Whether a caller may submit a job now. */
    private final Admission admission;
    private final JobStore store;
    private final Map<String, BayesProcess> processes;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService sweeper;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    /** Runs the jobs and moves them through their states. */
    private final JobWorker worker;
    /** The jobs' and models' files. */
    private final JobFiles files;
    /** The stored models. */
    private final ModelRegistry models;
    /** The published WMS layers. */
    private final LayerRegistry layers;
    /** Expiry of finished jobs, sweeps of leftovers. */
    private final Sweeps sweeps;
    private volatile boolean shuttingDown;

    public JobManager(ServiceConfig config, JobStore store, List<BayesProcess> processes, RasterReader rasterReader)
            throws SQLException, IOException {
        this.config = config;
        this.admission = new Admission(config);
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
        this.sweeps = new Sweeps(store, files, models, layers, running::containsKey);
        this.worker = new JobWorker(config, store, files, new ReferenceFetcher(config.processLimits()), models, layers, sweeper, running,
                () -> shuttingDown);
        recover();
        sweeper.scheduleWithFixedDelay(sweeps::expiry, 1, 60, TimeUnit.SECONDS);
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
                in = new ProcessInputs(proc.spec(), req.inputValues(dir.resolve("inputs")));
            } catch (IOException | RuntimeException e) {
                LOG.warn("job {} cannot be queued again after the restart: {}", j.id(), e.getMessage());
                Job f = worker.failed(j, JobStatus.FAILED, "NoApplicableCode", null,
                        "the service stopped while this job was queued or running, and its request cannot be run"
                                + " again; submit it again");
                store.requeue(f);
                continue;
            }
            // an interrupted run's partial results go (its model and layer rows with the requeue,
            // their files with the sweep below); its inputs stay
            files.deletePartialResults(j.id());
            Job queued = new Job(j.id(), j.process(), JobStatus.ACCEPTED, 0, "queued again after a service restart",
                    j.created(), null, null, now, null, j.request(), List.of(), null, null, null);
            store.requeue(queued);
            String owner = store.owner(j.id()).orElse(null);
            // a restarted job counts for its account, or for the anonymous callers together (the
            // address it came from is not stored)
            RunningJob r = new RunningJob(queued, owner, new Principal(owner, Role.VIEWER).caller());
            running.put(j.id(), r);
            queue.add(() -> r.future = workers.submit(() -> worker.run(proc, in, formats, r)));
            again++;
        }
        // swept before anything runs: a running job's temporary files are not leftovers
        sweeps.leftovers(null);
        queue.forEach(Runnable::run);
        if (again > 0) {
            LOG.warn("{} job(s) left queued or running by the previous run were queued again", again);
        }
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
        Map<String, String> formats = options.formats(proc.spec());
        Principal who = Principal.current();
        admission.admit(who, processId, inputs);
        ProcessInputs in = new ProcessInputs(proc.spec(), inputs);
        proc.validate(in, models);
        if (workers.getQueue().size() >= config.maxQueuedJobs()) {
            throw busy();
        }
        if (who != Principal.SYSTEM) {
            String caller = who.caller();
            admission.room(who, running.values().stream().filter(r -> caller.equals(r.caller)).count(),
                    () -> storageUsed(who.name()));
        }
        // what the service does by itself (the demo) belongs to no account: shared, like anonymous work
        String owner = who == Principal.SYSTEM ? null : who.name();
        String id = UUID.randomUUID().toString();
        Path dir = jobDir(id);
        Files.createDirectories(dir.resolve("inputs"));
        DurableFiles.forceDirectory(dir.getParent());
        DurableFiles.forceDirectory(dir);
        Map<String, List<StoredRequest.StoredInput>> stored = StoredRequest.store(in.values(), dir.resolve("inputs"));
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
        RunningJob r = new RunningJob(job, owner, who.caller());
        running.put(id, r);
        try {
            r.future = workers.submit(() -> worker.run(proc, in, formats, r));
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
     * The job with {@code id}: live state for queued and running jobs, else the stored one; empty
     * when the current caller may not see it (only its owner and admins do, {@link Principal}).
     */
    public Optional<Job> job(String id) throws SQLException {
        RunningJob r = running.get(id);
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
            RunningJob r = running.get(j.id());
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
        RunningJob r = running.get(id);
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
        RunningJob r = running.get(id);
        if (r != null) {
            r.cancelled = true;
            Future<?> f = r.future;
            if (f != null && f.cancel(false)) {
                // never started
                worker.update(r, worker.failed(r.job, JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed"), true);
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
            Job d = worker.failed(j.get(), JobStatus.DISMISSED, "NoApplicableCode", null, "the job was dismissed");
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
        return files.bytesOf(owner) + models.bytesOf(owner);
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
        return j.isEmpty() ? Optional.empty() : files.resultFile(j.get(), name);
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
        return files.inputFile(jobId, name);
    }

    // ---- expiry (Sweeps)

    /** Runs the sweep of leftovers older than its age limit now, as the running service does hourly (tests). */
    public void sweepLeftoversNow() throws SQLException, IOException {
        sweeps.leftovers(Instant.now().minus(Sweeps.LEFTOVER_SWEEP));
    }

    /** Runs the expiry sweep now (tests). */
    public void sweepNow() {
        sweeps.expiry();
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
        RunningJob r = jobId == null ? null : running.get(jobId);
        return r == null ? null : r.owner;
    }

    @Override
    public void close() throws SQLException {
        shuttingDown = true;
        sweeper.shutdownNow();
        for (RunningJob r : running.values()) {
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
