package dev.bayesnf.service.wms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the WMS parameters, KVP parsing included: every query string
 * is answered (WMS 1.3.0 answers exceptions with 200 too), with an image, a document or an
 * exception report naming a client error; an uncaught exception or an internal error
 * (NoApplicableCode) is a finding. Three synthetic layers (a forecast
 * with times and quantiles, a plain one, one in UTM) give GetMap, GetFeatureInfo and
 * GetLegendGraphic something to draw. See {@code ExecuteParserFuzzTest} for the modes.
 */
class WmsFuzzTest {
    private static final WmsService WMS = WmsFixtures.service();

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void wmsRequest(byte[] query) {
        String q = new String(query, StandardCharsets.UTF_8);
        // keep each map small, so that the fuzzer explores parameters rather than drawing
        // as the HTTP server hands the query on
        Kvp kvp = Kvp.parseOrEmpty(q.replaceAll("(?i)(width|height)=\\d{3,}", "$1=64"));
        HttpReply r = WMS.handle(kvp);
        assertTrue(r.status() == 200, "status " + r.status());
        if (r.contentType().startsWith("text/xml") && r.body() != null) {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            // the element's code attribute (the message may quote the client's text, but a '<' in
            // it is always escaped)
            assertFalse(body.contains("<ServiceException code=\"NoApplicableCode\""), body);
        }
    }
}
