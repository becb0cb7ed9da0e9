package dev.bayesnf.service.wms;

import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import java.util.function.Function;

/**
 * WMS 1.3.0 over HTTP ({@code /wms}): key-value requests to the {@link WmsService}; a bare
 * {@code /wms} is GetCapabilities. Layers come and go with jobs, so clients (QGIS caches
 * capabilities on disk) must revalidate the capabilities.
 */
public final class WmsEndpoint implements Endpoint {
    private final WmsService wms;

    public WmsEndpoint(WmsService wms) {
        this.wms = wms;
    }

    @Override
    public HttpReply handle(String method, String path, Kvp kvp, Function<String, String> headers, byte[] body) {
        Kvp q = kvp.asMap().isEmpty() ? Kvp.parse("service=WMS&request=GetCapabilities") : kvp;
        HttpReply r = wms.handle(q);
        return "GetCapabilities".equalsIgnoreCase(q.get("request")) ? r.withHeader("Cache-Control", "no-cache") : r;
    }

    @Override
    public HttpReply tooLarge(long limit) {
        return HttpReply.text(413, "text/plain; charset=UTF-8", "request too large\n");
    }
}
