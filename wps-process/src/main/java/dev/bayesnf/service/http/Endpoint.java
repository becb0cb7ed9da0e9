package dev.bayesnf.service.http;

/**
 * One front end mounted under a path prefix. Implementations answer protocol errors themselves
 * (OGC exception documents); the server only adds transport-level answers.
 */
public interface Endpoint {

    /**
     * Answers a request.
     *
     * @param method HTTP method
     * @param path path below the mount point, starting with '/' (or empty)
     * @param kvp query parameters
     * @param headers request header lookup (case-insensitive)
     * @param body request body (empty for GET)
     */
    HttpReply handle(String method, String path, Kvp kvp, java.util.function.Function<String, String> headers, byte[] body);

    /** The reply for a request body over the size limit, in the endpoint's exception format. */
    HttpReply tooLarge(long limit);
}
