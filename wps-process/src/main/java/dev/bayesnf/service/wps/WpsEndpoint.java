package dev.bayesnf.service.wps;

import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.process.ProcessException;
import java.util.function.Function;

/**
 * WPS 1.0.0 over HTTP ({@code /wps}): POST bodies and GET key-value requests to the
 * {@link WpsService}; a bare {@code /wps} is GetCapabilities. Status documents and capabilities
 * change, so they are never served from a cache.
 */
public final class WpsEndpoint implements Endpoint {
    private final WpsService wps;

    public WpsEndpoint(WpsService wps) {
        this.wps = wps;
    }

    @Override
    public HttpReply handle(String method, String path, Kvp kvp, Function<String, String> headers, byte[] body) {
        HttpReply r;
        if (method.equals("POST")) {
            r = wps.handlePost(body);
        } else if (kvp.asMap().isEmpty()) {
            r = wps.handleGet(Kvp.parse("service=WPS&request=GetCapabilities"));
        } else {
            r = wps.handleGet(kvp);
        }
        return r.file() == null ? r.withHeader("Cache-Control", "no-cache") : r;
    }

    @Override
    public HttpReply tooLarge(long limit) {
        return WpsExceptions.exception(new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, "request",
                "the request is larger than this service's limit of " + limit + " bytes"));
    }
}
