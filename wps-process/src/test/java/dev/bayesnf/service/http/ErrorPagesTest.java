package dev.bayesnf.service.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jetty's own refusals (URI or headers too large) answer with OGC documents, not HTML pages: a
 * JSON problem under /ogcapi, an OWS exception report elsewhere.
 */
class ErrorPagesTest {
    @TempDir
    Path dir;

    private static String send(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void oversizeUriAndHeadersGetExceptionReports() throws Exception {
        try (BayesNFService service = BayesNFService.start(ServiceConfig.defaults(dir, 0).withDemo(false))) {
            int port = service.port();
            String longUri = send(port, "GET /wps?service=WPS&request=GetCapabilities&x=" + "a".repeat(40_000)
                    + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(longUri.startsWith("HTTP/1.1 414"), longUri);
            assertTrue(longUri.contains("ows:ExceptionReport") && longUri.contains("too long"), longUri);
            assertFalse(longUri.toLowerCase().contains("<html"), longUri);

            String bigHeader = send(port, "GET /ogcapi HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(40_000)
                    + "\r\nConnection: close\r\n\r\n");
            // under /ogcapi a JSON problem, elsewhere an exception report
            assertTrue(bigHeader.startsWith("HTTP/1.1 431"), bigHeader);
            assertTrue(bigHeader.contains("application/problem+json") && bigHeader.contains("\"status\":431"),
                    bigHeader);
            assertFalse(bigHeader.toLowerCase().contains("<html"), bigHeader);
            assertFalse(bigHeader.contains("bbbbbbbb"), "nothing of the request is echoed");
            String wms = send(port, "GET /wms?service=WMS&request=GetCapabilities HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                    + "b".repeat(40_000) + "\r\nConnection: close\r\n\r\n");
            assertTrue(wms.startsWith("HTTP/1.1 431"), wms);
            assertTrue(wms.contains("ows:ExceptionReport") && wms.contains("headers"), wms);
            assertFalse(wms.toLowerCase().contains("<html"), wms);
        }
    }
}
