package dev.bayesnf.service.jobs;

import java.io.IOException;

/**
 * A finished job's stored result that is missing or no longer matches its checksum. The message
 * names the job and the output, never a file path, and may be shown to the client.
 */
public final class DamagedResultException extends IOException {
    private static final long serialVersionUID = 1L;

    public DamagedResultException(String message) {
        super(message);
    }
}
