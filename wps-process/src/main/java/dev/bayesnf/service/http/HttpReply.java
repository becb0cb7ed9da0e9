package dev.bayesnf.service.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A protocol-level answer, independent of the HTTP server: status, content type, body and extra
 * headers. The front ends (WPS, OGC API, WMS) produce these; the server writes them out.
 *
 * <p>Either {@code body} or {@code file} is set: a file is streamed from disk (large results).
 */
public record HttpReply(int status, String contentType, byte[] body, java.nio.file.Path file, Map<String, String> headers) {

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply of(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, body, null, Map.of());
    }

    public static HttpReply text(int status, String contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpReply file(String contentType, java.nio.file.Path file, Map<String, String> headers) {
        return new HttpReply(200, contentType, null, file, headers);
    }

    /**
     * A JSON problem document (RFC 9457: type about:blank, the status's reason as title, and
     * {@code detail}), as {@code application/problem+json}.
     */
    public static HttpReply problem(int status, String detail) {
        StringBuilder d = new StringBuilder();
        for (char ch : detail.toCharArray()) {
            switch (ch) {
                case '"' -> d.append("\\\"");
                case '\\' -> d.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        d.append(String.format("\\u%04x", (int) ch));
                    } else {
                        d.append(ch);
                    }
                }
            }
        }
        return of(status, "application/problem+json", ("{\"type\":\"about:blank\",\"title\":\""
                + org.eclipse.jetty.http.HttpStatus.getMessage(status) + "\",\"status\":" + status + ",\"detail\":\""
                + d + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    public HttpReply withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, file, h);
    }
}
