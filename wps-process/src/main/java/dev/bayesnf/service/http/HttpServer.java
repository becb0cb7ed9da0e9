package dev.bayesnf.service.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import dev.bayesnf.service.security.Accounts;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the service on Jetty 12 core handlers (no servlet layer): routes path prefixes
 * to {@link Endpoint}s, limits request bodies, bounds idle connections, logs every request in one
 * structured line (logger {@code bayesnf.access}), and stops gracefully (requests in flight may
 * finish for up to 10 s).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param mounts path prefix ("/wps") to endpoint, longest prefixes first is not required
     * @param landing reply for "/"
     */
    public HttpServer(String host, int port, long maxBodyBytes, Map<String, Endpoint> mounts, HttpReply landing) {
        this(host, port, maxBodyBytes, mounts, landing, authorization -> Principal.anonymous(Role.ADMIN));
    }

    /** Who a request comes from, by its {@code Authorization} header (null when it has none). */
    @FunctionalInterface
    public interface Authenticator {
        Principal authenticate(String authorization) throws Accounts.Unauthorized;
    }

    /**
     * @param auth authenticates every request before anything else is read; its principal is
     *     {@link Principal#current} while the endpoint runs
     */
    public HttpServer(String host, int port, long maxBodyBytes, Map<String, Endpoint> mounts, HttpReply landing,
            Authenticator auth) {
        QueuedThreadPool pool = new QueuedThreadPool(64, 8);
        pool.setName("bayesnf-http");
        server = new Server(pool);
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendXPoweredBy(false);
        hc.setRequestHeaderSize(16 * 1024);
        connector = new ServerConnector(server, new HttpConnectionFactory(hc));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        Map<String, Endpoint> routes = new LinkedHashMap<>(mounts);
        java.util.concurrent.Executor workers = pool;
        Handler router = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                String method = request.getMethod();
                Principal who;
                try {
                    who = auth.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                            .from(Request.getRemoteAddr(request));
                } catch (Accounts.Unauthorized e) {
                    write(unauthorized(path, e.getMessage()), request, response, callback);
                    return true;
                } catch (RuntimeException e) {
                    LOG.error("authentication of {} {} failed", method, path, e);
                    write(HttpReply.text(500, "text/plain; charset=UTF-8", "internal error; see the service log\n"),
                            request, response, callback);
                    return true;
                }
                Map.Entry<String, Endpoint> mount = mount(routes, path);
                long declared = request.getLength();
                if (mount != null && hasBody(method) && declared > maxBodyBytes) {
                    // Drop a moderately oversize body before answering (a client still uploading
                    // when the connection closes would see a reset instead of the 413 report),
                    // without holding a thread and within the deadline; much larger ones at once.
                    HttpReply tooLarge = mount.getValue().tooLarge(maxBodyBytes).withHeader("Connection", "close");
                    if (declared > 4 * maxBodyBytes) {
                        write(tooLarge, request, response, callback);
                        return true;
                    }
                    java.util.concurrent.CompletableFuture<Void> drained = new java.util.concurrent.CompletableFuture<>();
                    Content.Source.consumeAll(request, Callback.from(() -> drained.complete(null),
                            drained::completeExceptionally));
                    drained.orTimeout(BODY_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                            .whenCompleteAsync((v, error) -> write(tooLarge, request, response, callback), workers);
                    return true;
                }
                if (mount == null || !hasBody(method)) {
                    answer(() -> Principal.runAs(who, () -> route(routes, mount, landing, request, path, method,
                            new byte[0])), request, response, callback, path, method);
                    return true;
                }
                // The body is read without holding a thread: a client that trickles it (or never
                // sends it) costs a connection, not a worker, and is cut off by the minimum data
                // rate or the deadline. The endpoint runs on a worker once the body is complete.
                java.util.concurrent.CompletableFuture<byte[]> read = new java.util.concurrent.CompletableFuture<>();
                Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1),
                        org.eclipse.jetty.util.Promise.Invocable.toPromise(read));
                read.orTimeout(BODY_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                        .whenCompleteAsync((body, error) -> {
                            if (error == null && body.length > maxBodyBytes) {
                                write(mount.getValue().tooLarge(maxBodyBytes).withHeader("Connection", "close"), request,
                                        response, callback);
                                return;
                            }
                            if (error == null) {
                                answer(() -> Principal.runAs(who, () -> route(routes, mount, landing, request, path,
                                        method, body)), request, response, callback, path, method);
                                return;
                            }
                            Throwable cause = error instanceof java.util.concurrent.CompletionException
                                    && error.getCause() != null ? error.getCause() : error;
                            HttpReply reply;
                            if (cause instanceof java.util.concurrent.TimeoutException) {
                                reply = HttpReply.text(408, "text/plain; charset=UTF-8", "the request body did not"
                                        + " arrive within " + BODY_DEADLINE_SECONDS + " s\n");
                            } else if (cause instanceof IllegalStateException
                                    || cause instanceof IllegalArgumentException) {
                                // Jetty's refusal of a body over the size given (a chunked body without length)
                                reply = mount.getValue().tooLarge(maxBodyBytes);
                            } else {
                                reply = HttpReply.text(400, "text/plain; charset=UTF-8", "cannot read the request"
                                        + " body\n");
                            }
                            write(reply.withHeader("Connection", "close"), request, response, callback);
                        }, workers);
                return true;
            }
        };
        // a request body slower than the minimum rate is cut off as it arrives
        server.setHandler(new GracefulHandler(new org.eclipse.jetty.server.handler.MinimumDataRateHandler(router,
                MIN_BODY_BYTES_PER_SECOND, 0)));
        server.setErrorHandler(new OgcErrorHandler());
        server.setStopTimeout(10_000);
        server.setRequestLog(new CustomRequestLog(new Slf4jRequestLogWriter() {
            {
                setLoggerName("bayesnf.access");
            }
        }, "client=%{client}a method=%m uri=\"%U%q\" status=%s bytes=%O ms=%{ms}T agent=\"%{User-Agent}i\""));
    }

    /** Seconds a request body may take to arrive in full. */
    static final int BODY_DEADLINE_SECONDS = 120;
    /** Slowest request body accepted, in bytes per second. */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    /** 401 with the schemes to use, in the format of the path's protocol. */
    static HttpReply unauthorized(String path, String message) {
        String text = "HTTP 401 Unauthorized: " + message;
        HttpReply r = jsonPath(path)
                ? HttpReply.problem(401, text)
                : HttpReply.of(401, "text/xml; charset=UTF-8", OgcErrorHandler.owsReport(text));
        return r.withHeader("WWW-Authenticate", "Basic realm=\"BayesNF\", Bearer realm=\"BayesNF\"");
    }

    /** Whether errors under {@code path} are JSON problems (OGC API, administration), not OWS reports. */
    static boolean jsonPath(String path) {
        return path != null && (path.equals("/ogcapi") || path.startsWith("/ogcapi/") || path.equals("/admin")
                || path.startsWith("/admin/"));
    }

    private static boolean hasBody(String method) {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE");
    }

    private static Map.Entry<String, Endpoint> mount(Map<String, Endpoint> routes, String path) {
        for (Map.Entry<String, Endpoint> e : routes.entrySet()) {
            if (path.equals(e.getKey()) || path.startsWith(e.getKey() + "/")) {
                return e;
            }
        }
        return null;
    }

    /** Computes a reply (a failure becomes a 500 without details) and writes it. */
    private static void answer(java.util.function.Supplier<HttpReply> work, Request request, Response response,
            Callback callback, String path, String method) {
        HttpReply reply;
        try {
            reply = work.get();
        } catch (RuntimeException e) {
            LOG.error("request {} {} failed", method, path, e);
            reply = HttpReply.text(500, "text/plain; charset=UTF-8", "internal error; see the service log\n");
        }
        write(reply, request, response, callback);
    }

    /** Answers a request at the endpoint {@code mount} ({@link #mount}; null: the landing page or 404). */
    private static HttpReply route(Map<String, Endpoint> routes, Map.Entry<String, Endpoint> mount, HttpReply landing,
            Request request, String path, String method, byte[] body) {
        if (path.equals("/") || path.isEmpty()) {
            return landing;
        }
        if (mount == null) {
            return HttpReply.text(404, "text/plain; charset=UTF-8", "not found: " + path
                    + " (endpoints: " + String.join(", ", routes.keySet()) + ")\n");
        }
        Kvp kvp = Kvp.parseOrEmpty(request.getHttpURI().getQuery());
        String rest = path.substring(mount.getKey().length());
        return mount.getValue().handle(method, rest, kvp, name -> request.getHeaders().get(name), body);
    }

    private static void write(HttpReply reply, Request request, Response response, Callback callback) {
        response.setStatus(reply.status());
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (request.getMethod().equals("HEAD")) {
            callback.succeeded();
            return;
        }
        if (reply.file() != null) {
            try {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, java.nio.file.Files.size(reply.file()));
            } catch (IOException e) {
                response.setStatus(404);
                response.write(true, ByteBuffer.wrap("result file is gone\n".getBytes(StandardCharsets.UTF_8)), callback);
                return;
            }
            Content.copy(Content.Source.from(reply.file()), response, callback);
            return;
        }
        byte[] body = reply.body() == null ? new byte[0] : reply.body();
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * Jetty's own errors (a request line or headers too large, a malformed request) as OGC
     * documents instead of Jetty's HTML page: a JSON problem under /ogcapi, else an OWS exception
     * report. Only the status and its standard reason are told: nothing of the request. (Jetty
     * 12.1 sends its refusals of unreadable requests through here too.)
     */
    static final class OgcErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                Throwable cause, Callback callback) {
            String path = Request.getPathInContext(request);
            HttpReply reply = jsonPath(path)
                    ? HttpReply.problem(code, text(code))
                    : HttpReply.of(code, "text/xml; charset=UTF-8", owsReport(text(code)));
            HttpServer.write(reply, request, response, callback);
        }

        static String text(int code) {
            String what = switch (code) {
                case 414 -> "the request URI is too long for this service; send long requests with POST";
                case 431 -> "the request headers are larger than this service accepts";
                default -> "the request could not be handled";
            };
            return "HTTP " + code + " " + org.eclipse.jetty.http.HttpStatus.getMessage(code) + ": " + what;
        }

        /** An OWS exception report with {@code text} (no markup or quotes in it). */
        static byte[] owsReport(String text) {
            return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ows:ExceptionReport xmlns:ows=\"http://www.opengis.net/ows/1.1\""
                    + " version=\"1.0.0\" xml:lang=\"en-US\"><ows:Exception exceptionCode=\"NoApplicableCode\">"
                    + "<ows:ExceptionText>" + text.replace("&", "&amp;").replace("<", "&lt;")
                    + "</ows:ExceptionText></ows:Exception></ows:ExceptionReport>\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops gracefully: no new connections, requests in flight may finish for up to 10 s. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server stop: {}", e.toString());
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }
}
