package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.layers.LayerCatalog;
import dev.bayesnf.service.geo.UnknownCrsException;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.raster.RasterProduct;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WMS 1.3.0 front end (OGC 06-042) over a {@link LayerCatalog}: answers GET key-value
 * requests with {@link HttpReply}s; the HTTP server that calls {@link #handle} lives elsewhere.
 *
 * <ul>
 *   <li>{@code GetCapabilities}: {@code WMS_Capabilities} 1.3.0 (any VERSION asked for is
 *       answered with 1.3.0, the only one spoken), {@code text/xml}.
 *   <li>{@code GetMap}: LAYERS (several, drawn in order), STYLES ({@code mean} default,
 *       {@code uncertainty}), CRS (EPSG:4326 with a lat,lon BBOX, CRS:84 and EPSG:3857 lon/east
 *       first, and any other CRS the service can parse, in its own axis order), BBOX, WIDTH,
 *       HEIGHT (at most {@link #MAX_SIZE}), FORMAT {@code image/png}, TRANSPARENT, BGCOLOR, TIME
 *       (one of the layer's steps, or a range start/end meaning its first step inside; default the
 *       first step), EXCEPTIONS {@code XML}, {@code INIMAGE} or
 *       {@code BLANK}. Output: 8-bit palette PNG.
 *   <li>{@code GetFeatureInfo}: the GetMap parameters plus QUERY_LAYERS, INFO_FORMAT
 *       ({@code text/plain}, {@code application/json} (GeoJSON), {@code text/xml},
 *       {@code text/html}), I, J, FEATURE_COUNT.
 *   <li>{@code GetLegendGraphic} (SLD profile): LAYER, STYLE, FORMAT {@code image/png}, WIDTH,
 *       HEIGHT.
 * </ul>
 *
 * <p>Every refusal is a {@code ServiceExceptionReport} naming the problem (HTTP 200,
 * {@code text/xml}; see {@link ExceptionReport} for why 200); unexpected failures are logged and
 * reported as {@code NoApplicableCode}, never as a stack trace.
 *
 * <p>Thread-safe. The GetMap path takes no locks: per-layer value ranges are computed once per
 * published raster and kept in a concurrent map.
 */
public final class WmsService {
    /** The largest WIDTH and HEIGHT accepted (advertised as MaxWidth/MaxHeight). */
    public static final int MAX_SIZE = 4096;
    /** The most layers one GetMap may draw (advertised as LayerLimit). */
    public static final int LAYER_LIMIT = 32;
    private static final int MAX_LEGEND_SIZE = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(WmsService.class);

    private final LayerCatalog catalog;
    private final String endpoint;
    private final CapabilitiesWriter capabilities;
    private final MapRenderer renderer = new MapRenderer();
    private final Map<String, CachedStats> stats = new ConcurrentHashMap<>();

    /** Stats of one raster, remembered by identity without keeping the raster alive. */
    private record CachedStats(WeakReference<RasterProduct> product, LayerStats stats) {}

    /**
     * @param catalog the published layers
     * @param baseUrl the public base URL of the service as clients reach it (e.g.
     *     {@code http://localhost:8080} or a proxy's address); the WMS endpoint is
     *     {@code baseUrl + "/wms"} and every OnlineResource in the capabilities is built from it
     */
    public WmsService(LayerCatalog catalog, String baseUrl) {
        if (catalog == null) {
            throw new IllegalArgumentException("catalog is null");
        }
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, got '" + baseUrl + "'");
        }
        this.catalog = catalog;
        this.endpoint = baseUrl.replaceAll("/+$", "") + "/wms";
        this.capabilities = new CapabilitiesWriter(endpoint, MAX_SIZE, LAYER_LIMIT);
    }

    /** The WMS endpoint URL, {@code <baseUrl>/wms}. */
    public String endpoint() {
        return endpoint;
    }

    /** Answers one GET request given by its KVP parameters. */
    public HttpReply handle(Kvp kvp) {
        Params p = new Params(kvp);
        String request = "";
        try {
            String service = p.optional("SERVICE");
            if (service != null && !service.isEmpty() && !service.equalsIgnoreCase("WMS")) {
                throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "SERVICE",
                        "this endpoint is a WMS; SERVICE must be WMS, got '" + service + "'");
            }
            request = p.required("REQUEST");
            switch (request.toLowerCase(Locale.ROOT)) {
                case "getcapabilities":
                case "capabilities":
                    return HttpReply.of(200, "text/xml", capabilities.write(catalog.layers()));
                case "getmap":
                    return getMap(p);
                case "getfeatureinfo":
                    return getFeatureInfo(p);
                case "getlegendgraphic":
                    return getLegendGraphic(p);
                default:
                    throw new WmsException(WmsException.OPERATION_NOT_SUPPORTED, "REQUEST", "unknown REQUEST '"
                            + request + "' (supported: GetCapabilities, GetMap, GetFeatureInfo, GetLegendGraphic)");
            }
        } catch (WmsException e) {
            return ExceptionReport.reply(e);
        } catch (UnknownCrsException e) {
            return ExceptionReport.reply(new WmsException(WmsException.INVALID_CRS, "CRS", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("WMS {} failed for {}", request, kvp.asMap(), e);
            // the details go to the log, never to the client (no class names, no paths)
            return ExceptionReport.reply(new WmsException(WmsException.NO_APPLICABLE_CODE, null,
                    "internal error while answering this request; see the service log"));
        }
    }

    private enum ExceptionMode { XML, INIMAGE, BLANK }

    private static ExceptionMode exceptionMode(Params p) {
        String v = p.optional("EXCEPTIONS");
        if (v == null || v.isEmpty()) {
            return ExceptionMode.XML;
        }
        switch (v.toUpperCase(Locale.ROOT)) {
            case "XML":
            case "APPLICATION/VND.OGC.SE_XML":
                return ExceptionMode.XML;
            case "INIMAGE":
            case "APPLICATION/VND.OGC.SE_INIMAGE":
                return ExceptionMode.INIMAGE;
            case "BLANK":
            case "APPLICATION/VND.OGC.SE_BLANK":
                return ExceptionMode.BLANK;
            default:
                throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "EXCEPTIONS",
                        "EXCEPTIONS must be XML, INIMAGE or BLANK, got '" + v + "'");
        }
    }

    private HttpReply getMap(Params p) {
        ExceptionMode mode = exceptionMode(p);
        MapRequest r;
        try {
            r = MapRequest.parse(p, name -> resolve(name, "LAYERS"), MAX_SIZE, LAYER_LIMIT);
        } catch (WmsException | UnknownCrsException e) {
            if (mode == ExceptionMode.XML) {
                throw e;
            }
            return imageError(p, mode, e);
        }
        return HttpReply.of(200, "image/png", renderer.draw(r).png(r.width(), r.height()));
    }

    /** The error as an image when the request asked for one and its size is readable. */
    private static HttpReply imageError(Params p, ExceptionMode mode, RuntimeException e) {
        int w;
        int h;
        boolean transparent;
        int bg;
        try {
            w = p.integer("WIDTH", 1, MAX_SIZE, WmsException.INVALID_PARAMETER_VALUE);
            h = p.integer("HEIGHT", 1, MAX_SIZE, WmsException.INVALID_PARAMETER_VALUE);
            transparent = p.bool("TRANSPARENT", false);
            bg = p.colour("BGCOLOR", 0xFFFFFF);
        } catch (WmsException unusable) {
            throw e; // no image size to draw into: report the original problem as XML
        }
        byte[] png = mode == ExceptionMode.BLANK
                ? MapRenderer.blank(w, h, transparent, bg).png(w, h)
                : LegendRenderer.message(e.getMessage(), w, h, transparent, bg);
        return HttpReply.of(200, "image/png", png);
    }

    private HttpReply getFeatureInfo(Params p) {
        MapRequest r = MapRequest.parse(p, name -> resolve(name, "LAYERS"), MAX_SIZE, LAYER_LIMIT);
        List<String> query = MapRequest.split(p.required("QUERY_LAYERS"));
        String infoFormat = p.required("INFO_FORMAT");
        FeatureInfo.format(infoFormat, List.of()); // refuse an unknown format before any work
        String featureCount = p.optional("FEATURE_COUNT");
        if (featureCount != null && !featureCount.isEmpty()) {
            p.integer("FEATURE_COUNT", 1, Integer.MAX_VALUE, WmsException.INVALID_PARAMETER_VALUE);
        }
        int i = p.integer("I", 0, r.width() - 1, WmsException.INVALID_POINT);
        int j = p.integer("J", 0, r.height() - 1, WmsException.INVALID_POINT);
        List<FeatureInfo.Hit> hits = new ArrayList<>();
        for (String name : query) {
            MapRequest.MapLayer layer = r.layers().stream().filter(l -> l.info().name().equals(name)).findFirst()
                    .orElse(null);
            if (layer == null) {
                resolve(name, "QUERY_LAYERS"); // LayerNotDefined when it does not exist at all
                throw new WmsException(WmsException.LAYER_NOT_QUERYABLE, "QUERY_LAYERS", "layer " + name
                        + " cannot be queried in this request: QUERY_LAYERS must name layers listed in LAYERS");
            }
            hits.add(FeatureInfo.query(r, layer, i, j));
        }
        // Every queried layer gives one cell, so FEATURE_COUNT (>= 1) never cuts the answer.
        return FeatureInfo.format(infoFormat, hits);
    }

    private HttpReply getLegendGraphic(Params p) {
        String format = p.optional("FORMAT");
        if (format != null && !format.isEmpty() && !MapRequest.isPng(format)) {
            throw new WmsException(WmsException.INVALID_FORMAT, "FORMAT",
                    "unsupported legend format '" + format + "' (supported: image/png)");
        }
        MapRequest.Resolved r = resolve(p.required("LAYER"), "LAYER");
        String styleName = p.optional("STYLE");
        String name = styleName == null ? "" : styleName;
        LayerStyle style = LayerStyle.byName(name).filter(r.stats()::offers)
                .orElseThrow(() -> new WmsException(WmsException.STYLE_NOT_DEFINED, "STYLE",
                        "layer " + r.info().name() + " has no style '" + name + "'"));
        int w = p.optional("WIDTH") == null || p.optional("WIDTH").isEmpty() ? LegendRenderer.DEFAULT_WIDTH
                : p.integer("WIDTH", 1, MAX_LEGEND_SIZE, WmsException.INVALID_PARAMETER_VALUE);
        int h = p.optional("HEIGHT") == null || p.optional("HEIGHT").isEmpty() ? LegendRenderer.DEFAULT_HEIGHT
                : p.integer("HEIGHT", 1, MAX_LEGEND_SIZE, WmsException.INVALID_PARAMETER_VALUE);
        String subtitle = style == LayerStyle.MEAN ? "predictive mean"
                : LayerStats.intervalPercent(r.product().levels()) + " interval width";
        byte[] png = LegendRenderer.legend(style.ramp(), r.stats().min(style), r.stats().max(style), r.info().target(),
                subtitle, w, h);
        return HttpReply.of(200, "image/png", png);
    }

    /** The layer called {@code name} with its raster and stats, or {@code LayerNotDefined}. */
    private MapRequest.Resolved resolve(String name, String locator) {
        Optional<LayerInfo> info = catalog.layer(name);
        Optional<RasterProduct> product = info.isPresent() ? catalog.raster(name) : Optional.empty();
        if (info.isEmpty() || product.isEmpty()) {
            Optional<String> problem = catalog.problem(name);
            throw new WmsException(WmsException.LAYER_NOT_DEFINED, locator, problem.isPresent()
                    ? "layer '" + name + "' cannot be served: " + problem.get()
                    : "no layer named '" + name + "' is published (see GetCapabilities)");
        }
        RasterProduct raster = product.get();
        CachedStats cached = stats.get(name);
        // identity on purpose: the statistics belong to this very raster object, not an equal one
        if (cached == null || cached.product().get() != raster) { // NOPMD CompareObjectsWithEquals
            cached = new CachedStats(new WeakReference<>(raster), new LayerStats(raster));
            stats.put(name, cached);
            stats.keySet().removeIf(n -> !n.equals(name) && catalog.layer(n).isEmpty());
        }
        return new MapRequest.Resolved(info.get(), raster, cached.stats());
    }
}
