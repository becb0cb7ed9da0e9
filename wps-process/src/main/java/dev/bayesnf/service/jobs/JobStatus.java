package dev.bayesnf.service.jobs;

/**
 * Job states, named as OGC API - Processes names them ({@code statusCode}); WPS 1.0.0 maps them to
 * ProcessAccepted, ProcessStarted, ProcessSucceeded and ProcessFailed.
 */
public enum JobStatus {
    ACCEPTED("accepted"),
    RUNNING("running"),
    SUCCESSFUL("successful"),
    FAILED("failed"),
    DISMISSED("dismissed");

    private final String code;

    JobStatus(String code) {
        this.code = code;
    }

    /** The OGC API status code. */
    public String code() {
        return code;
    }

    public boolean finished() {
        return this == SUCCESSFUL || this == FAILED || this == DISMISSED;
    }

    public static JobStatus ofCode(String c) {
        for (JobStatus s : values()) {
            if (s.code.equals(c)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job status " + c);
    }
}
