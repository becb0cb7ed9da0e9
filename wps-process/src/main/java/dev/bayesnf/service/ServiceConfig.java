package dev.bayesnf.service;

import dev.bayesnf.service.process.ProcessLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of a service instance, with the embedded defaults {@code bayesnf serve} starts with.
 *
 * @param port HTTP port (0 = any free port)
 * @param host interface to listen on
 * @param dataDir data directory: database, models, results (nothing is written outside it)
 * @param baseUrl public base URL every link is built from, without a trailing slash
 * @param databaseUrl JDBC URL of the job and model database; null = H2 file in the data directory
 * @param maxRunningJobs jobs that run at once; the rest wait in the queue
 * @param maxQueuedJobs jobs that may wait; beyond that requests are refused with ServerBusy
 * @param resultExpiry how long finished jobs and their results are kept
 * @param syncTimeout how long a synchronous request waits for its job before it is told to poll
 * @param maxRequestBytes largest request body (uploads included)
 * @param maxRows largest number of data rows in a Fit or Predict input
 * @param maxCellSteps largest grid cells x time steps of a Forecast or Interpolate
 * @param maxEnsembleEpochs largest ensemble x epochs of a Fit
 * @param allowedHosts hosts whose URLs may be fetched for inputs given by reference (empty = none)
 * @param maxReferenceBytes largest document fetched for a reference
 * @param referenceTimeout limit on connecting to a reference and on fetching all of it
 * @param jobTimeLimits longest a job may run, by process id ({@link #ANY_PROCESS} for the others;
 *     a process without an entry and without {@code *} has no limit): a job past it is stopped and
 *     fails with the reason
 * @param anonymous what callers without credentials may do: {@link #ANONYMOUS_AUTO} (the
 *     default: everything while no account exists, as before accounts; nothing once one does),
 *     {@link #ANONYMOUS_NONE}, or a role's name (viewer, forecaster, analyst, admin)
 * @param maxJobsPerCaller jobs one account (or one anonymous caller's address) may have queued or
 *     running at once; more are refused with 429 and Retry-After
 * @param maxExecutesPerMinute Execute requests one account (or one anonymous caller's address) may
 *     make per minute, in bursts of as many (0: no limit); more are refused with 429 and
 *     Retry-After
 * @param maxStoragePerCaller bytes of jobs, results and models one account (or the anonymous
 *     callers together) may keep; a submission beyond is refused with NotEnoughStorage (0: no
 *     limit)
 * @param modelExpiry how long a model is kept after it was stored or last used for a prediction
 *     ({@link Duration#ZERO}: for ever)
 * @param demo fit a demo model on the bundled wind data at first start
 */
public record ServiceConfig(int port, String host, Path dataDir, String baseUrl, String databaseUrl,
        int maxRunningJobs, int maxQueuedJobs, Duration resultExpiry, Duration syncTimeout, long maxRequestBytes,
        int maxRows, long maxCellSteps, long maxEnsembleEpochs, List<String> allowedHosts, long maxReferenceBytes,
        Duration referenceTimeout, java.util.Map<String, Duration> jobTimeLimits, String anonymous,
        int maxJobsPerCaller, int maxExecutesPerMinute, long maxStoragePerCaller, Duration modelExpiry,
        boolean demo) {

    /** {@link #anonymous}: callers without credentials may do everything while no account exists, nothing after. */
    public static final String ANONYMOUS_AUTO = "auto";
    /** {@link #anonymous}: callers without credentials are refused. */
    public static final String ANONYMOUS_NONE = "none";

    /** The key of {@link #jobTimeLimits} for every process without a limit of its own. */
    public static final String ANY_PROCESS = "*";

    public ServiceConfig {
        allowedHosts = List.copyOf(allowedHosts);
        jobTimeLimits = java.util.Map.copyOf(jobTimeLimits);
        if (modelExpiry.isNegative()) {
            throw new IllegalArgumentException("the model expiry must not be negative, got " + modelExpiry);
        }
        if (maxStoragePerCaller < 0) {
            throw new IllegalArgumentException("the storage per caller must not be negative, got " + maxStoragePerCaller);
        }
        if (maxExecutesPerMinute < 0) {
            throw new IllegalArgumentException("the Execute requests per minute must not be negative, got "
                    + maxExecutesPerMinute);
        }
        if (maxJobsPerCaller < 1) {
            throw new IllegalArgumentException("the jobs per caller must be at least 1, got " + maxJobsPerCaller);
        }
        if (!anonymous.equals(ANONYMOUS_AUTO) && !anonymous.equals(ANONYMOUS_NONE)) {
            dev.bayesnf.service.security.Role.parse(anonymous);
        }
        for (Duration d : jobTimeLimits.values()) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a job time limit must be positive, got " + d);
            }
        }
        if (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The embedded defaults for a data directory and port ({@link ProcessLimits#defaults()} for the processes). */
    public static ServiceConfig defaults(Path dataDir, int port) {
        ProcessLimits p = ProcessLimits.defaults();
        return new ServiceConfig(port, "127.0.0.1", dataDir, "http://localhost:" + port, null, 1, 32,
                Duration.ofDays(7), Duration.ofSeconds(60), 64L << 20, p.maxRows(), p.maxCellSteps(),
                p.maxEnsembleEpochs(), p.allowedHosts(), p.maxReferenceBytes(), p.referenceTimeout(),
                java.util.Map.of(ANY_PROCESS, Duration.ofHours(12)), ANONYMOUS_AUTO, 8, 120, 10L << 30,
                Duration.ofDays(90), true);
    }

    /** What the processes of this instance accept. */
    public ProcessLimits processLimits() {
        return new ProcessLimits(maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts, maxReferenceBytes,
                referenceTimeout);
    }

    /** A builder holding this configuration's settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServiceConfig withBaseUrl(String url) {
        return toBuilder().baseUrl(url).build();
    }

    public ServiceConfig withPort(int p) {
        return toBuilder().port(p).build();
    }

    public ServiceConfig withDemo(boolean d) {
        return toBuilder().demo(d).build();
    }

    public ServiceConfig withLimits(int rows, long cellSteps, long ensembleEpochs, long requestBytes) {
        Builder b = toBuilder();
        b.maxRows = rows;
        b.maxCellSteps = cellSteps;
        b.maxEnsembleEpochs = ensembleEpochs;
        b.maxRequestBytes = requestBytes;
        return b.build();
    }

    public ServiceConfig withAllowedHosts(List<String> hosts) {
        return toBuilder().allowedHosts(hosts).build();
    }

    public ServiceConfig withJobs(int running, Duration expiry, Duration sync) {
        Builder b = toBuilder();
        b.maxRunningJobs = running;
        b.resultExpiry = expiry;
        b.syncTimeout = sync;
        return b.build();
    }

    public ServiceConfig withDatabaseUrl(String url) {
        return toBuilder().databaseUrl(url).build();
    }

    /** With another limit on the time to connect to, and fetch the whole of, a reference. */
    public ServiceConfig withReferenceTimeout(Duration timeout) {
        return toBuilder().referenceTimeout(timeout).build();
    }

    /** With other job time limits ({@link #jobTimeLimits}). */
    public ServiceConfig withJobTimeLimits(java.util.Map<String, Duration> limits) {
        return toBuilder().jobTimeLimits(limits).build();
    }

    /** The longest a job of {@code process} may run, when limited. */
    public java.util.Optional<Duration> jobTimeLimit(String process) {
        Duration d = jobTimeLimits.get(process);
        return java.util.Optional.ofNullable(d != null ? d : jobTimeLimits.get(ANY_PROCESS));
    }

    /** With another setting for callers without credentials ({@link #anonymous}). */
    public ServiceConfig withAnonymous(String a) {
        return toBuilder().anonymous(a).build();
    }

    /** With another limit on the jobs one caller may have queued or running ({@link #maxJobsPerCaller}). */
    public ServiceConfig withMaxJobsPerCaller(int n) {
        return toBuilder().maxJobsPerCaller(n).build();
    }

    /** With another limit on one caller's Execute requests per minute ({@link #maxExecutesPerMinute}). */
    public ServiceConfig withMaxExecutesPerMinute(int n) {
        return toBuilder().maxExecutesPerMinute(n).build();
    }

    /** With another storage quota per caller ({@link #maxStoragePerCaller}). */
    public ServiceConfig withMaxStoragePerCaller(long bytes) {
        return toBuilder().maxStoragePerCaller(bytes).build();
    }

    /** With another model expiry ({@link #modelExpiry}). */
    public ServiceConfig withModelExpiry(Duration d) {
        return toBuilder().modelExpiry(d).build();
    }

    public ServiceConfig withHost(String h) {
        return toBuilder().host(h).build();
    }

    /**
     * The settings of a {@link ServiceConfig}, changed one at a time ({@link ServiceConfig#toBuilder});
     * {@link #build} checks them as the record's constructor does.
     */
    public static final class Builder {
        int port;
        String host;
        Path dataDir;
        String baseUrl;
        String databaseUrl;
        int maxRunningJobs;
        int maxQueuedJobs;
        Duration resultExpiry;
        Duration syncTimeout;
        long maxRequestBytes;
        int maxRows;
        long maxCellSteps;
        long maxEnsembleEpochs;
        List<String> allowedHosts;
        long maxReferenceBytes;
        Duration referenceTimeout;
        java.util.Map<String, Duration> jobTimeLimits;
        String anonymous;
        int maxJobsPerCaller;
        int maxExecutesPerMinute;
        long maxStoragePerCaller;
        Duration modelExpiry;
        boolean demo;

        private Builder(ServiceConfig c) {
            port = c.port;
            host = c.host;
            dataDir = c.dataDir;
            baseUrl = c.baseUrl;
            databaseUrl = c.databaseUrl;
            maxRunningJobs = c.maxRunningJobs;
            maxQueuedJobs = c.maxQueuedJobs;
            resultExpiry = c.resultExpiry;
            syncTimeout = c.syncTimeout;
            maxRequestBytes = c.maxRequestBytes;
            maxRows = c.maxRows;
            maxCellSteps = c.maxCellSteps;
            maxEnsembleEpochs = c.maxEnsembleEpochs;
            allowedHosts = c.allowedHosts;
            maxReferenceBytes = c.maxReferenceBytes;
            referenceTimeout = c.referenceTimeout;
            jobTimeLimits = c.jobTimeLimits;
            anonymous = c.anonymous;
            maxJobsPerCaller = c.maxJobsPerCaller;
            maxExecutesPerMinute = c.maxExecutesPerMinute;
            maxStoragePerCaller = c.maxStoragePerCaller;
            modelExpiry = c.modelExpiry;
            demo = c.demo;
        }

        public Builder port(int p) {
            port = p;
            return this;
        }

        public Builder host(String h) {
            host = h;
            return this;
        }

        public Builder baseUrl(String u) {
            baseUrl = u;
            return this;
        }

        public Builder databaseUrl(String u) {
            databaseUrl = u;
            return this;
        }

        public Builder maxQueuedJobs(int n) {
            maxQueuedJobs = n;
            return this;
        }

        public Builder allowedHosts(List<String> h) {
            allowedHosts = h;
            return this;
        }

        public Builder referenceTimeout(Duration d) {
            referenceTimeout = d;
            return this;
        }

        public Builder jobTimeLimits(java.util.Map<String, Duration> l) {
            jobTimeLimits = l;
            return this;
        }

        public Builder anonymous(String a) {
            anonymous = a;
            return this;
        }

        public Builder maxJobsPerCaller(int n) {
            maxJobsPerCaller = n;
            return this;
        }

        public Builder maxExecutesPerMinute(int n) {
            maxExecutesPerMinute = n;
            return this;
        }

        public Builder maxStoragePerCaller(long bytes) {
            maxStoragePerCaller = bytes;
            return this;
        }

        public Builder modelExpiry(Duration d) {
            modelExpiry = d;
            return this;
        }

        public Builder demo(boolean d) {
            demo = d;
            return this;
        }

        /** The configuration, checked. */
        public ServiceConfig build() {
            return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs,
                    resultExpiry, syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs,
                    allowedHosts, maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller,
                    maxExecutesPerMinute, maxStoragePerCaller, modelExpiry, demo);
        }
    }
}
