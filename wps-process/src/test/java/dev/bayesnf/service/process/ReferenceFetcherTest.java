package dev.bayesnf.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bayesnf.service.ServiceConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** References: host and port on the allow-list, and a whole-document deadline against trickling hosts. */
class ReferenceFetcherTest {
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fast.csv", ex -> {
            byte[] b = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.createContext("/slow.csv", ex -> {
            ex.sendResponseHeaders(200, 1000);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                // the client gave up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ReferenceFetcher fetcher(List<String> hosts) {
        return new ReferenceFetcher(ServiceConfig.defaults(Path.of("unused"), 0).withAllowedHosts(hosts)
                .withReferenceTimeout(Duration.ofSeconds(2)).processLimits());
    }

    @Test
    void portMustBeAllowedToo() {
        String href = "http://127.0.0.1:" + port + "/fast.csv";
        ProcessException e = assertThrows(ProcessException.class, () -> fetcher(List.of("127.0.0.1")).fetch("data",
                href, null, null));
        assertTrue(e.getMessage().contains("port " + port), e.getMessage());
        assertEquals("a,b\n1,2\n", new String(fetcher(List.of("127.0.0.1:" + port)).fetch("data", href, null, null)
                .data(), StandardCharsets.UTF_8));
        assertTrue(ReferenceFetcher.allows("example.org", "example.org", 443, "https"));
        assertFalse(ReferenceFetcher.allows("example.org", "example.org", 8443, "https"));
        assertTrue(ReferenceFetcher.allows("example.org:8443", "example.org", 8443, "https"));
    }

    @Test
    void tricklingHostIsCutOffAtTheDeadline() {
        long t0 = System.nanoTime();
        ProcessException e = assertThrows(ProcessException.class, () -> fetcher(List.of("127.0.0.1:" + port))
                .fetch("data", "http://127.0.0.1:" + port + "/slow.csv", null, null));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("within 2 s"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        // the whole document would take 100 s
        assertTrue(ms < 30_000, "gave up after " + ms + " ms");
    }
}
