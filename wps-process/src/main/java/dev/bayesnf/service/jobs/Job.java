package dev.bayesnf.service.jobs;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A job as stored: process, state, progress, times, the request (JSON, for lineage), outputs and
 * the error of a failed job.
 *
 * @param request the request as stored: JSON, read typed through {@link #storedRequest} (its shape
 *     is {@link StoredRequest}'s)
 */
public record Job(String id, String process, JobStatus status, int progress, String message, Instant created,
        Instant started, Instant finished, Instant updated, Instant expires, String request, List<StoredOutput> outputs,
        String errorCode, String errorLocator, String errorMessage) {

    public Job {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public Job withState(JobStatus s, int p, String m, Instant now) {
        return new Job(id, process, s, p, m, created, s == JobStatus.RUNNING && started == null ? now : started,
                s.finished() ? now : finished, now, expires, request, outputs, errorCode, errorLocator, errorMessage);
    }

    /**
     * The stored request, typed: inputs, requested formats, {@link ResponseOptions}.
     *
     * @throws IOException when the stored request cannot be read
     */
    public StoredRequest storedRequest() throws IOException {
        return StoredRequest.parse(request);
    }

    /**
     * What the job's request asked of its results.
     *
     * @throws IOException when the stored request cannot be read
     */
    public ResponseOptions responseOptions() throws IOException {
        return StoredRequest.parseOptions(request);
    }
}
