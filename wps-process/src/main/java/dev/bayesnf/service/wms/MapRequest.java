package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.geo.UnknownCrsException;
import dev.bayesnf.service.raster.RasterProduct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A parsed and checked GetMap request (or the map part of a GetFeatureInfo request, OGC 06-042
 * §7.3.2 and §7.4.3): the layers with their style and time step, and the map's CRS, bounding box
 * (always east/north here, whatever the request's axis order) and size.
 */
record MapRequest(List<MapLayer> layers, String crs, double minX, double minY, double maxX, double maxY, int width,
        int height, boolean transparent, int background) {

    /** One layer of the map, drawn in request order. */
    record MapLayer(LayerInfo info, RasterProduct product, LayerStats stats, LayerStyle style, int step) {}

    /** Looks a layer up by name; throws {@code LayerNotDefined} when it is not published. */
    interface Layers {
        Resolved resolve(String name);
    }

    /** A published layer with its values. */
    record Resolved(LayerInfo info, RasterProduct product, LayerStats stats) {}

    static final String VERSION = "1.3.0";

    /** The map formats accepted; every one gives an 8-bit palette PNG. */
    static boolean isPng(String format) {
        String f = format.toLowerCase(Locale.ROOT).replace(" ", "");
        return f.equals("image/png") || f.equals("image/png;mode=8bit") || f.equals("image/png8");
    }

    static MapRequest parse(Params p, Layers catalog, int maxSize, int layerLimit) {
        String version = p.optional("VERSION");
        if (version != null && !version.isEmpty() && !version.equals(VERSION)) {
            throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "VERSION",
                    "this server speaks WMS 1.3.0 only, got VERSION=" + version);
        }
        List<String> names = split(p.required("LAYERS"));
        if (names.stream().anyMatch(String::isEmpty)) {
            throw new WmsException(WmsException.LAYER_NOT_DEFINED, "LAYERS",
                    "LAYERS contains an empty layer name: '" + p.optional("LAYERS") + "'");
        }
        if (names.size() > layerLimit) {
            throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "LAYERS",
                    "at most " + layerLimit + " layers per request, got " + names.size());
        }
        String stylesParam = p.optional("STYLES");
        List<String> styles = stylesParam == null || stylesParam.isEmpty() ? List.of() : split(stylesParam);
        if (!styles.isEmpty() && styles.size() != names.size()) {
            throw new WmsException(WmsException.STYLE_NOT_DEFINED, "STYLES", "STYLES lists " + styles.size()
                    + " styles for " + names.size() + " layers; give one per layer or leave STYLES empty");
        }
        String time = p.optional("TIME");
        if (time != null && time.contains(",")) {
            throw new WmsException(WmsException.INVALID_DIMENSION_VALUE, "TIME",
                    "TIME must be one time step or a range start/end (lists are not supported), got '" + time + "'");
        }
        List<MapLayer> layers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Resolved r = catalog.resolve(names.get(i));
            String styleName = styles.isEmpty() ? "" : styles.get(i);
            LayerStyle style = LayerStyle.byName(styleName).filter(r.stats()::offers).orElseThrow(
                    () -> new WmsException(WmsException.STYLE_NOT_DEFINED, "STYLES", "layer " + r.info().name()
                            + " has no style '" + styleName + "' (styles: " + styleList(r.stats()) + ")"));
            layers.add(new MapLayer(r.info(), r.product(), r.stats(), style, step(r, time)));
        }
        String crsParam = p.required("CRS");
        String crs;
        boolean northFirst;
        try {
            crs = Crs.normalize(crsParam);
            Crs.parse(crs);
            northFirst = Crs.northingFirst(crs);
        } catch (UnknownCrsException e) {
            throw new WmsException(WmsException.INVALID_CRS, "CRS", e.getMessage());
        }
        double[] b = bbox(p.required("BBOX"));
        if (northFirst) {
            b = new double[] {b[1], b[0], b[3], b[2]};
        }
        int width = p.integer("WIDTH", 1, maxSize, WmsException.INVALID_PARAMETER_VALUE);
        int height = p.integer("HEIGHT", 1, maxSize, WmsException.INVALID_PARAMETER_VALUE);
        String format = p.required("FORMAT");
        if (!isPng(format)) {
            throw new WmsException(WmsException.INVALID_FORMAT, "FORMAT",
                    "unsupported map format '" + format + "' (supported: image/png)");
        }
        boolean transparent = p.bool("TRANSPARENT", false);
        int bg = p.colour("BGCOLOR", 0xFFFFFF);
        return new MapRequest(List.copyOf(layers), crs, b[0], b[1], b[2], b[3], width, height, transparent, bg);
    }

    private static String styleList(LayerStats stats) {
        return stats.offers(LayerStyle.UNCERTAINTY) ? "mean, uncertainty" : "mean";
    }

    private static int step(Resolved r, String time) {
        List<String> times = r.info().times();
        if (times.isEmpty() || time == null || time.isEmpty()) {
            return 0; // the default: the first step
        }
        int t = time.contains("/") ? TimeValues.firstIn(r.product().times(), time)
                : TimeValues.indexOf(r.product().times(), time);
        if (t < 0) {
            throw new WmsException(WmsException.INVALID_DIMENSION_VALUE, "TIME", "layer " + r.info().name()
                    + " has no time step " + (time.contains("/") ? "in the range '" : "'") + time + "' (steps: "
                    + String.join(",", times) + ")");
        }
        return t;
    }

    private static double[] bbox(String v) {
        String[] parts = v.split(",", -1);
        if (parts.length != 4) {
            throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "BBOX",
                    "BBOX must be four comma-separated numbers, got '" + v + "'");
        }
        double[] b = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                b[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                b[i] = Double.NaN;
            }
            if (!Double.isFinite(b[i])) {
                throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "BBOX",
                        "BBOX value '" + parts[i] + "' is not a finite number (BBOX=" + v + ")");
            }
        }
        if (!(b[0] < b[2] && b[1] < b[3])) {
            throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, "BBOX",
                    "BBOX minimum must be below maximum on both axes, got " + Arrays.toString(b)
                            + " (order: min axis 1, min axis 2, max axis 1, max axis 2)");
        }
        return b;
    }

    static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",", -1)) {
            out.add(s.trim());
        }
        return out;
    }
}
