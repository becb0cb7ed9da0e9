package dev.bayesnf.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 clients that send their headers and then trickle the body a byte at a time do not starve
 * the service: request bodies are read without holding a worker thread, so GetCapabilities is
 * still answered while they wait. (Before, 60 such clients left it unanswered for over a minute.)
 */
class SlowClientsTest {
    @TempDir
    Path dir;

    @Test
    void tricklingBodiesDoNotStarveOtherRequests() throws Exception {
        try (BayesNFService service = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            int port = service.port();
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST " + (i % 2 == 0 ? "/wps" : "/ogcapi/processes/echo/execution") + " HTTP/1.1\r\n"
                            + "Host: localhost\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n<")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(s);
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                long worst = 0;
                int cut = 0;
                for (int round = 0; round < 10; round++) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write(' ');
                            s.getOutputStream().flush();
                        } catch (java.io.IOException e) {
                            // cut off by the service for its slowness: also a defence
                            if (!s.isClosed()) {
                                cut++;
                                s.close();
                            }
                        }
                    }
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.config().baseUrl()
                            + "/wps?service=WPS&request=GetCapabilities")).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                    assertEquals(200, r.statusCode());
                    assertTrue(r.body().contains("wps:Capabilities"));
                    Thread.sleep(200);
                }
                System.out.println("slow clients: 200 trickling bodies (" + cut + " cut off by the service);"
                        + " slowest GetCapabilities " + worst + " ms");
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }
}
