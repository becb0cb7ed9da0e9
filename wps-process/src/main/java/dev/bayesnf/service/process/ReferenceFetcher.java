package dev.bayesnf.service.process;

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
 * whose host and port are on the configured allow-list (empty by default, so no request from a
 * client can make the service reach another machine: no server-side request forgery). An entry
 * {@code host} allows the scheme's default port only (80, 443), {@code host:port} that port.
 * Documents larger than the limit, hosts that do not connect, answer or send the whole document
 * within the reference timeout, and error answers are refused with a message naming the input.
 */
public final class ReferenceFetcher {
    /** Threads of their own for the blocking reads (not the common pool the predictions use). */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bayesnf-reference");
        t.setDaemon(true);
        return t;
    });

    private final ProcessLimits config;
    private final HttpClient client;

    public ReferenceFetcher(ProcessLimits config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(config.referenceTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Checks {@code href} for input {@code input} (an http(s) URL whose host and port are on the
     * allow-list) and returns it as a reference that the job fetches when it runs
     * ({@link #fetch(String, InputValue.Reference)}), so that no request thread waits on another
     * host.
     */
    public InputValue.Reference reference(String input, String href, String mimeType, byte[] body) {
        check(input, href);
        return new InputValue.Reference(href.trim(), mimeType, body);
    }

    /** Fetches a reference for input {@code input}. */
    public InputValue.Complex fetch(String input, InputValue.Reference ref) {
        return fetch(input, ref.href(), ref.mimeType(), ref.body());
    }

    private URI check(String input, String href) {
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
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (config.allowedHosts().stream().noneMatch(h -> allows(h, host, port, scheme))) {
            throw ProcessException.invalid(input, "input '" + input + "': host '" + host + "' port " + port
                    + " is not on this service's allow-list for references"
                    + (config.allowedHosts().isEmpty() ? " (the list is empty: send the data inline)" : ""));
        }
        return uri;
    }

    /**
     * Fetches {@code href} for input {@code input}, by GET or, when {@code body} is not null, by
     * POST.
     */
    public InputValue.Complex fetch(String input, String href, String mimeType, byte[] body) {
        URI uri = check(input, href);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(config.referenceTimeout());
        if (body != null) {
            rb.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            rb.GET();
        }
        long deadline = System.nanoTime() + config.referenceTimeout().toNanos();
        try {
            HttpResponse<InputStream> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw ProcessException.invalid(input, "input '" + input + "': " + href + " answered HTTP "
                            + r.statusCode());
                }
                byte[] data = readBefore(in, (int) Math.min(Integer.MAX_VALUE - 8, config.maxReferenceBytes() + 1),
                        deadline);
                if (data == null) {
                    throw ProcessException.invalid(input, "input '" + input + "': " + href + " did not send its"
                            + " document within " + config.referenceTimeout().toSeconds() + " s");
                }
                if (data.length > config.maxReferenceBytes()) {
                    throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, input, "input '" + input
                            + "': " + href + " is larger than " + config.maxReferenceBytes() + " bytes");
                }
                String type = mimeType != null ? mimeType : r.headers().firstValue("Content-Type").orElse(null);
                return new InputValue.Complex(data, type);
            }
        } catch (IOException e) {
            throw ProcessException.invalid(input, "input '" + input + "': " + href + " cannot be reached"
                    + (e instanceof java.net.http.HttpTimeoutException ? " within "
                            + config.referenceTimeout().toSeconds() + " s" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProcessException.invalid(input, "input '" + input + "': fetching " + href + " was interrupted");
        }
    }

    /** Whether allow-list entry {@code entry} ({@code host} or {@code host:port}) admits the URL's host and port. */
    static boolean allows(String entry, String host, int port, String scheme) {
        String e = entry.trim().toLowerCase(Locale.ROOT);
        int colon = e.lastIndexOf(':');
        if (colon > 0 && e.indexOf(']') < colon && e.substring(colon + 1).matches("[0-9]{1,5}")) {
            return e.substring(0, colon).equals(host) && Integer.parseInt(e.substring(colon + 1)) == port;
        }
        return e.equals(host) && port == (scheme.equals("https") ? 443 : 80);
    }

    /**
     * Reads at most {@code limit} bytes of {@code in}, or returns null when the deadline passes
     * first (the stream is then closed, which stops the transfer): a host that trickles its
     * document cannot hold the caller longer than the reference timeout.
     */
    private static byte[] readBefore(InputStream in, int limit, long deadline) throws IOException {
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(limit);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, READERS);
        try {
            return read.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            in.close();
            read.cancel(true);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause()
                    : new IOException("the transfer failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            in.close();
            throw new IOException("interrupted");
        }
    }
}
