package dev.bayesnf.service.jobs;

import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.RateLimiter;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Whether a caller may submit a job now: its role, its Execute requests per minute, the size of
 * its literal values, and, once its inputs passed, its jobs queued or running and the storage its
 * jobs and models take. The service itself ({@link Principal#SYSTEM}) is counted by none of the
 * limits.
 */
final class Admission {
    /** Reads the storage a caller uses (only when the limit is set). */
    @FunctionalInterface
    interface StorageUsed {
        long bytes() throws SQLException, IOException;
    }

    private final ServiceConfig config;
    /** Execute requests per caller and minute ({@link ServiceConfig#maxExecutesPerMinute}). */
    private final RateLimiter executeRate;

    Admission(ServiceConfig config) {
        this.config = config;
        this.executeRate = new RateLimiter(config.maxExecutesPerMinute());
    }

    /** The checks before the inputs are read: role, request rate, literal sizes. */
    void admit(Principal who, String processId, Map<String, List<InputValue>> inputs) {
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
                if (v instanceof InputValue.Literal l && l.value() != null && l.value().length() > JobManager.MAX_LITERAL) {
                    throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, e.getKey(), "input '"
                            + e.getKey() + "' is a literal of " + l.value().length() + " characters; literals are at"
                            + " most " + JobManager.MAX_LITERAL + " (send data as a document)");
                }
            }
        }
    }

    /**
     * The checks once the request is valid: the caller's jobs queued or running ({@code mine}) and
     * its storage.
     */
    void room(Principal who, long mine, StorageUsed used) throws SQLException, IOException {
        // one caller may not take the whole queue: an account's jobs, or one anonymous address's
        if (mine >= config.maxJobsPerCaller()) {
            throw new ProcessException(ProcessException.Code.TOO_MANY_JOBS, null, who.describe() + " has " + mine
                    + " jobs queued or running, as many as this service allows at once; wait for one to finish");
        }
        if (config.maxStoragePerCaller() > 0) {
            long bytes = used.bytes();
            if (bytes >= config.maxStoragePerCaller()) {
                throw new ProcessException(ProcessException.Code.NOT_ENOUGH_STORAGE, null, (who.anonymous()
                        ? "anonymous callers together store " : who.describe() + " stores ") + mebibytes(bytes)
                        + " MiB of jobs, results and models, of the " + mebibytes(config.maxStoragePerCaller())
                        + " MiB allowed; dismiss finished jobs to free space");
            }
        }
    }

    private static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
