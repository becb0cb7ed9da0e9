package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.process.ProcessException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused request as an RFC 7807-style exception document ({@code exception.yaml} of OGC
 * 18-062r2): {@code type}, {@code title}, {@code status}, {@code detail}, and the extension member
 * {@code locator} naming the input or parameter concerned.
 *
 * <p>The media type is {@code application/json}, as in the standard's OpenAPI responses and as the
 * OGC test suite checks, not {@code application/problem+json}.
 *
 * <p>Immutable; thrown inside the front end and turned into a reply in one place.
 */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String EXCEPTIONS = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/";
    static final String NO_SUCH_PROCESS = EXCEPTIONS + "no-such-process";
    static final String NO_SUCH_JOB = EXCEPTIONS + "no-such-job";
    static final String RESULT_NOT_READY = EXCEPTIONS + "result-not-ready";

    private final int status;
    private final String type;
    private final String title;
    private final String locator;
    private final transient Map<String, String> headers;

    Problem(int status, String type, String title, String detail, String locator, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.locator = locator;
        this.headers = Map.copyOf(headers);
    }

    Problem(int status, String type, String title, String detail) {
        this(status, type, title, detail, null, Map.of());
    }

    static Problem noSuchProcess(String id) {
        return new Problem(404, NO_SUCH_PROCESS, "No such process", "there is no process '" + id + "'");
    }

    static Problem noSuchJob(String id) {
        return new Problem(404, NO_SUCH_JOB, "No such job", "there is no job '" + id
                + "' (unknown, dismissed or expired)");
    }

    static Problem notFound(String path) {
        return new Problem(404, "about:blank", "Not Found", "no resource at '" + path + "'");
    }

    static Problem methodNotAllowed(String method, String allowed) {
        return new Problem(405, "about:blank", "Method Not Allowed", method + " is not allowed here; allowed: "
                + allowed, null, Map.of("Allow", allowed));
    }

    /**
     * The problem for a refused process request: the OWS exception code becomes the {@code type}
     * (as the standard suggests, e.g. {@code InvalidParameterValue}), the input its locator.
     */
    static Problem of(ProcessException e) {
        ProcessException.Code code = e.code();
        return new Problem(code.httpStatus(), code.owsCode(), title(code), e.getMessage(), e.locator(),
                e.retryAfterSeconds().isPresent()
                        ? Map.of("Retry-After", Long.toString(e.retryAfterSeconds().getAsLong())) : Map.of());
    }

    /** The problem a failed job reports, from its stored error. */
    static Problem ofJobError(String owsCode, String locator, String message) {
        ProcessException.Code code = ProcessException.Code.ofOws(owsCode);
        String type = owsCode == null || owsCode.isBlank() ? code.owsCode() : owsCode;
        return new Problem(code.httpStatus(), type, title(code), message == null ? "the job failed" : message, locator,
                Map.of());
    }

    private static String title(ProcessException.Code code) {
        switch (code) {
            case MISSING_PARAMETER_VALUE:
                return "Missing parameter value";
            case INVALID_PARAMETER_VALUE:
                return "Invalid parameter value";
            case SERVER_BUSY:
                return "Server busy";
            case FILE_SIZE_EXCEEDED:
                return "File size exceeded";
            case NOT_ENOUGH_STORAGE:
                return "Not enough storage";
            case OPERATION_NOT_SUPPORTED:
                return "Operation not supported";
            case FORBIDDEN:
                return "Forbidden";
            case TOO_MANY_JOBS:
                return "Too many jobs";
            default:
                return "Processing error";
        }
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String locator() {
        return locator;
    }

    /** The exception document. */
    ObjectNode document() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type);
        o.put("title", title);
        o.put("status", status);
        o.put("detail", getMessage());
        if (locator != null) {
            o.put("locator", locator);
        }
        return o;
    }

    HttpReply reply() {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(document());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        return new HttpReply(status, OgcApiProcesses.JSON_TYPE, body, null, h);
    }
}
