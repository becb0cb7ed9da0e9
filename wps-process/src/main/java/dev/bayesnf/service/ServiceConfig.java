package dev.bayesnf.service;

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
 * @param maxJobsPerCaller jobs one account (or all anonymous callers together) may have queued or
 *     running at once; more are refused with 429 and Retry-After
 * @param demo fit a demo model on the bundled wind data at first start
 */
public record ServiceConfig(int port, String host, Path dataDir, String baseUrl, String databaseUrl,
        int maxRunningJobs, int maxQueuedJobs, Duration resultExpiry, Duration syncTimeout, long maxRequestBytes,
        int maxRows, long maxCellSteps, long maxEnsembleEpochs, List<String> allowedHosts, long maxReferenceBytes,
        Duration referenceTimeout, java.util.Map<String, Duration> jobTimeLimits, String anonymous,
        int maxJobsPerCaller, boolean demo) {

    /** {@link #anonymous}: callers without credentials may do everything while no account exists, nothing after. */
    public static final String ANONYMOUS_AUTO = "auto";
    /** {@link #anonymous}: callers without credentials are refused. */
    public static final String ANONYMOUS_NONE = "none";

    /** The key of {@link #jobTimeLimits} for every process without a limit of its own. */
    public static final String ANY_PROCESS = "*";

    public ServiceConfig {
        allowedHosts = List.copyOf(allowedHosts);
        jobTimeLimits = java.util.Map.copyOf(jobTimeLimits);
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

    /** The embedded defaults for a data directory and port. */
    public static ServiceConfig defaults(Path dataDir, int port) {
        return new ServiceConfig(port, "127.0.0.1", dataDir, "http://localhost:" + port, null, 1, 32,
                Duration.ofDays(7), Duration.ofSeconds(60), 64L << 20, 2_000_000, 50_000_000L, 2_000_000L,
                List.of(), 64L << 20, Duration.ofSeconds(20), java.util.Map.of(ANY_PROCESS, Duration.ofHours(12)), ANONYMOUS_AUTO, 8, true);
    }

    public ServiceConfig withBaseUrl(String url) {
        return new ServiceConfig(port, host, dataDir, url, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    public ServiceConfig withPort(int p) {
        return new ServiceConfig(p, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    public ServiceConfig withDemo(boolean d) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, d);
    }

    public ServiceConfig withLimits(int rows, long cellSteps, long ensembleEpochs, long requestBytes) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, requestBytes, rows, cellSteps, ensembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    public ServiceConfig withAllowedHosts(List<String> hosts) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, hosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    public ServiceConfig withJobs(int running, Duration expiry, Duration sync) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, running, maxQueuedJobs, expiry,
                sync, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    public ServiceConfig withDatabaseUrl(String url) {
        return new ServiceConfig(port, host, dataDir, baseUrl, url, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    /** With another limit on the time to connect to, and fetch the whole of, a reference. */
    public ServiceConfig withReferenceTimeout(Duration timeout) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, timeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }

    /** With other job time limits ({@link #jobTimeLimits}). */
    public ServiceConfig withJobTimeLimits(java.util.Map<String, Duration> limits) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, limits, anonymous, maxJobsPerCaller, demo);
    }

    /** The longest a job of {@code process} may run, when limited. */
    public java.util.Optional<Duration> jobTimeLimit(String process) {
        Duration d = jobTimeLimits.get(process);
        return java.util.Optional.ofNullable(d != null ? d : jobTimeLimits.get(ANY_PROCESS));
    }

    /** With another setting for callers without credentials ({@link #anonymous}). */
    public ServiceConfig withAnonymous(String a) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, a, maxJobsPerCaller, demo);
    }

    /** With another limit on the jobs one caller may have queued or running ({@link #maxJobsPerCaller}). */
    public ServiceConfig withMaxJobsPerCaller(int n) {
        return new ServiceConfig(port, host, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, n, demo);
    }

    public ServiceConfig withHost(String h) {
        return new ServiceConfig(port, h, dataDir, baseUrl, databaseUrl, maxRunningJobs, maxQueuedJobs, resultExpiry,
                syncTimeout, maxRequestBytes, maxRows, maxCellSteps, maxEnsembleEpochs, allowedHosts,
                maxReferenceBytes, referenceTimeout, jobTimeLimits, anonymous, maxJobsPerCaller, demo);
    }
}
