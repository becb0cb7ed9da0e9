package dev.bayesnf.service.process;

/**
 * A request a process refuses, with the OWS exception code and the input it concerns. The WPS
 * front end turns it into an {@code ows:ExceptionReport}, OGC API - Processes into a problem
 * document; messages are written for the client (no stack traces).
 */
public final class ProcessException extends RuntimeException {
    /** Seconds a client is told to wait (HTTP Retry-After) when the service is busy. */
    public static final int RETRY_AFTER_SECONDS = 30;

    private static final long serialVersionUID = 1L;

    /** OWS 1.1 / WPS 1.0.0 exception codes, with the HTTP status OGC API uses for them. */
    public enum Code {
        MISSING_PARAMETER_VALUE("MissingParameterValue", 400),
        INVALID_PARAMETER_VALUE("InvalidParameterValue", 400),
        NO_APPLICABLE_CODE("NoApplicableCode", 500),
        NOT_ENOUGH_STORAGE("NotEnoughStorage", 507),
        SERVER_BUSY("ServerBusy", 503),
        /**
         * The caller has as many jobs queued or running as it may, or made Execute requests
         * faster than it may (HTTP 429, Retry-After).
         */
        TOO_MANY_JOBS("ServerBusy", 429),
        /** The caller's role does not allow the operation (no OWS code of its own: HTTP 403). */
        FORBIDDEN("Forbidden", 403),
        FILE_SIZE_EXCEEDED("FileSizeExceeded", 413),
        STORAGE_NOT_SUPPORTED("StorageNotSupported", 400),
        VERSION_NEGOTIATION_FAILED("VersionNegotiationFailed", 400),
        OPERATION_NOT_SUPPORTED("OperationNotSupported", 400);

        private final String owsCode;
        private final int httpStatus;

        Code(String owsCode, int httpStatus) {
            this.owsCode = owsCode;
            this.httpStatus = httpStatus;
        }

        public String owsCode() {
            return owsCode;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public static Code ofOws(String ows) {
            for (Code c : values()) {
                if (c.owsCode.equals(ows)) {
                    return c;
                }
            }
            return NO_APPLICABLE_CODE;
        }
    }

    private final Code code;
    private final String locator;
    private final long retryAfter;

    public ProcessException(Code code, String locator, String message) {
        this(code, locator, message, RETRY_AFTER_SECONDS);
    }

    /** A refusal that tells the client to retry after {@code retryAfterSeconds} (busy codes only). */
    public ProcessException(Code code, String locator, String message, long retryAfterSeconds) {
        super(message);
        this.code = code;
        this.locator = locator;
        this.retryAfter = retryAfterSeconds;
    }

    /**
     * The seconds a client is told to wait (HTTP Retry-After) for {@link Code#SERVER_BUSY} and
     * {@link Code#TOO_MANY_JOBS}; empty for the other codes.
     */
    public java.util.OptionalLong retryAfterSeconds() {
        return code == Code.SERVER_BUSY || code == Code.TOO_MANY_JOBS ? java.util.OptionalLong.of(retryAfter)
                : java.util.OptionalLong.empty();
    }

    public Code code() {
        return code;
    }

    /** The input, parameter or process the problem concerns, or null. */
    public String locator() {
        return locator;
    }

    public static ProcessException invalid(String locator, String message) {
        return new ProcessException(Code.INVALID_PARAMETER_VALUE, locator, message);
    }

    public static ProcessException missing(String locator, String message) {
        return new ProcessException(Code.MISSING_PARAMETER_VALUE, locator, message);
    }
}
