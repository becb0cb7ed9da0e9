package dev.bayesnf.service.process;

import dev.bayesnf.service.ServiceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Fetches inputs given by reference ({@code xlink:href}, OGC API {@code href}) — only http(s) URLs
 * whose host is on the configured allow-list (empty by default, so no request from a client can
 * make the service reach another machine: no server-side request forgery). Documents larger than
 * the limit, slow hosts and error answers are refused with a message naming the input.
 */
public final class ReferenceFetcher {
    private final ServiceConfig config;
    private final HttpClient client;

    public ReferenceFetcher(ServiceConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(config.referenceTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Fetches {@code href} for input {@code input}, by GET or, when {@code body} is not null, by
     * POST.
     */
    public InputValue.Complex fetch(String input, String href, String mimeType, byte[] body) {
        URI uri;
        try {
            uri = new URI(href.trim());
        } catch (URISyntaxException e) {
            throw ProcessException.invalid(input, "input '" + input + "': '" + href + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ProcessException.invalid(input, "input '" + input + "': only http and https references are accepted, got '"
                    + href + "'");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (config.allowedHosts().stream().noneMatch(h -> h.equalsIgnoreCase(host))) {
            throw ProcessException.invalid(input, "input '" + input + "': host '" + host
                    + "' is not on this service's allow-list for references"
                    + (config.allowedHosts().isEmpty() ? " (the list is empty: send the data inline)" : ""));
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(config.referenceTimeout());
        if (body != null) {
            rb.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            rb.GET();
        }
        try {
            HttpResponse<InputStream> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw ProcessException.invalid(input, "input '" + input + "': " + href + " answered HTTP "
                            + r.statusCode());
                }
                byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxReferenceBytes() + 1));
                if (data.length > config.maxReferenceBytes()) {
                    throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, input, "input '" + input
                            + "': " + href + " is larger than " + config.maxReferenceBytes() + " bytes");
                }
                String type = mimeType != null ? mimeType : r.headers().firstValue("Content-Type").orElse(null);
                return new InputValue.Complex(data, type);
            }
        } catch (IOException e) {
            throw ProcessException.invalid(input, "input '" + input + "': " + href + " cannot be reached ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProcessException.invalid(input, "input '" + input + "': fetching " + href + " was interrupted");
        }
    }
}
