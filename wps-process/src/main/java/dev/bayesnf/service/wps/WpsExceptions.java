package dev.bayesnf.service.wps;

import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.xml.XmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WPS 1.0.0 errors: the {@code ows:ExceptionReport} of a refused request (with the HTTP status that
 * OGC API - Processes gives the same code), the report inside a failed job's status, and the
 * internal error that names no exception.
 */
final class WpsExceptions {
    private static final Logger LOG = LoggerFactory.getLogger(WpsService.class);

    private WpsExceptions() {
    }

    /** An ows:ExceptionReport for a refused request. */
    static HttpReply exception(ProcessException e) {
        XmlWriter x = new XmlWriter(WpsService.NS);
        // WPS 1.0.0 lists its exception codes; a refusal for the caller's role is none of them
        exceptionReport(x, e.code() == ProcessException.Code.FORBIDDEN ? "NoApplicableCode" : e.code().owsCode(),
                e.locator(), e.getMessage(), true);
        // the same HTTP status as OGC API - Processes gives the code
        HttpReply r = HttpReply.of(e.code().httpStatus(), WpsService.XML, x.toBytes());
        java.util.OptionalLong retry = e.retryAfterSeconds();
        return retry.isPresent() ? r.withHeader("Retry-After", Long.toString(retry.getAsLong())) : r;
    }

    static void exceptionReport(XmlWriter x, String code, String locator, String message, boolean root) {
        x.start("ows:ExceptionReport");
        if (root) {
            x.declareNamespaces();
        }
        x.attr("version", "1.0.0").attr("xml:lang", "en-US");
        x.start("ows:Exception").attr("exceptionCode", code).attr("locator", locator)
                .element("ows:ExceptionText", message).end();
        x.end();
    }

    static HttpReply internal(Exception e) {
        LOG.error("WPS request failed", e);
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null,
                "internal error (" + e.getClass().getSimpleName() + "); see the service log"));
    }
}
