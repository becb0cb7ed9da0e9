package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.geo.UnknownCrsException;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterProduct;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the WMS 1.3.0 {@code WMS_Capabilities} document (OGC 06-042 §7.2.4), valid against
 * {@code capabilities_1_3_0.xsd}. GetLegendGraphic is listed as {@code sld:GetLegendGraphic},
 * the {@code _ExtendedOperation} that the SLD 1.1 profile of WMS defines (as GeoServer does).
 *
 * <p>Bounding boxes are computed by transforming the layer grid's edges, densified to 32 points
 * each, into every advertised CRS; {@code BoundingBox} attributes follow that CRS's axis order
 * (EPSG:4326: minx is the minimum latitude).
 */
final class CapabilitiesWriter {
    static final String WMS = "http://www.opengis.net/wms";
    static final String XLINK = "http://www.w3.org/1999/xlink";
    static final String SLD = "http://www.opengis.net/sld";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    /** CRSs every layer can be drawn in, besides its native one (any CRS {@link Crs} parses works). */
    static final List<String> COMMON_CRS = List.of("EPSG:4326", "CRS:84", "EPSG:3857");
    static final List<String> INFO_FORMATS = List.of("text/plain", "application/json", "text/xml", "text/html");
    private static final int DENSIFY = 32;

    private final String endpoint;
    private final int maxSize;
    private final int layerLimit;

    CapabilitiesWriter(String endpoint, int maxSize, int layerLimit) {
        this.endpoint = endpoint;
        this.maxSize = maxSize;
        this.layerLimit = layerLimit;
    }

    byte[] write(List<LayerInfo> layers) {
        return Xml.document(w -> {
            w.setDefaultNamespace(WMS);
            w.setPrefix("xlink", XLINK);
            w.setPrefix("sld", SLD);
            w.setPrefix("xsi", XSI);
            w.writeStartElement(WMS, "WMS_Capabilities");
            w.writeDefaultNamespace(WMS);
            w.writeNamespace("xlink", XLINK);
            w.writeNamespace("sld", SLD);
            w.writeNamespace("xsi", XSI);
            w.writeAttribute("version", "1.3.0");
            w.writeAttribute(XSI, "schemaLocation",
                    WMS + " http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd " + SLD
                            + " http://schemas.opengis.net/sld/1.1.0/sld_capabilities.xsd");
            service(w);
            w.writeStartElement("Capability");
            requests(w);
            w.writeStartElement("Exception");
            for (String f : List.of("XML", "INIMAGE", "BLANK")) {
                Xml.element(w, "Format", f);
            }
            w.writeEndElement();
            rootLayer(w, layers);
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    private void service(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("Service");
        Xml.element(w, "Name", "WMS");
        Xml.element(w, "Title", "BayesNF predictions");
        Xml.element(w, "Abstract", "Forecast and interpolation rasters of Bayesian Neural Field models"
                + " (Saad et al., Nature Communications 2024), with their predictive uncertainty. Each layer"
                + " offers the styles 'mean' (predictive mean) and, where the model has quantiles,"
                + " 'uncertainty' (width of the widest central predictive interval); forecast steps are"
                + " the TIME dimension. GetLegendGraphic (LAYER, STYLE, FORMAT=image/png) draws the legend.");
        w.writeStartElement("KeywordList");
        for (String k : List.of("BayesNF", "forecast", "interpolation", "uncertainty")) {
            Xml.element(w, "Keyword", k);
        }
        w.writeEndElement();
        onlineResource(w, endpoint);
        Xml.element(w, "Fees", "none");
        Xml.element(w, "AccessConstraints", "none");
        Xml.element(w, "LayerLimit", Integer.toString(layerLimit));
        Xml.element(w, "MaxWidth", Integer.toString(maxSize));
        Xml.element(w, "MaxHeight", Integer.toString(maxSize));
        w.writeEndElement();
    }

    private void requests(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("Request");
        operation(w, WMS, "GetCapabilities", List.of("text/xml"));
        operation(w, WMS, "GetMap", List.of("image/png"));
        operation(w, WMS, "GetFeatureInfo", INFO_FORMATS);
        operation(w, SLD, "GetLegendGraphic", List.of("image/png"));
        w.writeEndElement();
    }

    private void operation(XMLStreamWriter w, String ns, String name, List<String> formats) throws XMLStreamException {
        w.writeStartElement(ns, name);
        for (String f : formats) {
            w.writeStartElement(WMS, "Format");
            w.writeCharacters(f);
            w.writeEndElement();
        }
        w.writeStartElement(WMS, "DCPType");
        w.writeStartElement(WMS, "HTTP");
        w.writeStartElement(WMS, "Get");
        onlineResource(w, endpoint + "?");
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void onlineResource(XMLStreamWriter w, String href) throws XMLStreamException {
        w.writeEmptyElement(WMS, "OnlineResource");
        w.writeAttribute(XLINK, "type", "simple");
        w.writeAttribute(XLINK, "href", href);
    }

    private void rootLayer(XMLStreamWriter w, List<LayerInfo> layers) throws XMLStreamException {
        w.writeStartElement("Layer");
        Xml.element(w, "Title", "BayesNF prediction layers");
        Xml.element(w, "Abstract", "One layer per published Forecast or Interpolate result.");
        Set<String> crs = new LinkedHashSet<>(COMMON_CRS);
        for (LayerInfo l : layers) {
            crs.add(l.grid().crs());
        }
        for (String c : crs) {
            Xml.element(w, "CRS", c);
        }
        double[] union = null;
        List<double[]> boxes = new ArrayList<>();
        for (LayerInfo l : layers) {
            double[] b = envelope(l.grid(), "CRS:84");
            boxes.add(b);
            if (b != null) {
                union = union == null ? b.clone()
                        : new double[] {Math.min(union[0], b[0]), Math.min(union[1], b[1]), Math.max(union[2], b[2]),
                                Math.max(union[3], b[3])};
            }
        }
        if (union == null) {
            union = new double[] {-180, -90, 180, 90};
        }
        geographic(w, union);
        boundingBox(w, "CRS:84", union, null);
        boundingBox(w, "EPSG:4326", union, null);
        for (int i = 0; i < layers.size(); i++) {
            layer(w, layers.get(i), boxes.get(i));
        }
        w.writeEndElement();
    }

    private void layer(XMLStreamWriter w, LayerInfo l, double[] lonLat) throws XMLStreamException {
        w.writeStartElement("Layer");
        w.writeAttribute("queryable", "1");
        w.writeAttribute("opaque", "0");
        Xml.element(w, "Name", l.name());
        Xml.element(w, "Title", l.title());
        StringBuilder a = new StringBuilder(l.description() == null ? "" : l.description().trim());
        if (a.length() > 0) {
            a.append(' ');
        }
        a.append("Variable: ").append(l.target()).append(". Quantile levels: ");
        if (l.levels().length == 0) {
            a.append("none");
        }
        for (int k = 0; k < l.levels().length; k++) {
            a.append(k == 0 ? "" : ", ").append(RasterProduct.quantileName(l.levels()[k]));
        }
        a.append(". Published ").append(l.created()).append('.');
        Xml.element(w, "Abstract", a.toString());
        Grid g = l.grid();
        if (lonLat != null) {
            geographic(w, lonLat);
        }
        Set<String> crs = new LinkedHashSet<>();
        crs.add(g.crs());
        crs.addAll(COMMON_CRS);
        for (String c : crs) {
            double[] b = c.equals(g.crs()) ? new double[] {g.minX(), g.minY(), g.maxX(), g.maxY()} : envelope(g, c);
            if (b != null) {
                boundingBox(w, c, b, c.equals(g.crs()) ? new double[] {g.cellWidth(), g.cellHeight()} : null);
            }
        }
        if (!l.times().isEmpty()) {
            w.writeStartElement("Dimension");
            w.writeAttribute("name", "time");
            w.writeAttribute("units", TimeValues.allIso(l.times()) ? "ISO8601" : "");
            w.writeAttribute("default", l.times().get(0));
            w.writeAttribute("multipleValues", "0");
            w.writeAttribute("nearestValue", "0");
            w.writeCharacters(String.join(",", l.times()));
            w.writeEndElement();
        }
        for (LayerStyle s : LayerStyle.values()) {
            if (LayerStats.offers(s, l.levels())) {
                style(w, l, s);
            }
        }
        w.writeEndElement();
    }

    private void style(XMLStreamWriter w, LayerInfo l, LayerStyle s) throws XMLStreamException {
        w.writeStartElement("Style");
        Xml.element(w, "Name", s.id());
        Xml.element(w, "Title", s == LayerStyle.MEAN ? "Predictive mean" : "Uncertainty (interval width)");
        Xml.element(w, "Abstract", LayerStats.describe(s, l.levels(), l.target())
                + ", coloured over its range across all time steps");
        w.writeStartElement("LegendURL");
        w.writeAttribute("width", Integer.toString(LegendRenderer.DEFAULT_WIDTH));
        w.writeAttribute("height", Integer.toString(LegendRenderer.DEFAULT_HEIGHT));
        Xml.element(w, "Format", "image/png");
        onlineResource(w, legendUrl(l.name(), s));
        w.writeEndElement();
        w.writeEndElement();
    }

    String legendUrl(String layer, LayerStyle s) {
        return endpoint + "?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image%2Fpng&LAYER="
                + URLEncoder.encode(layer, StandardCharsets.UTF_8) + "&STYLE=" + s.id();
    }

    private static void geographic(XMLStreamWriter w, double[] b) throws XMLStreamException {
        w.writeStartElement("EX_GeographicBoundingBox");
        Xml.element(w, "westBoundLongitude", Xml.num(Math.max(-180, b[0])));
        Xml.element(w, "eastBoundLongitude", Xml.num(Math.min(180, b[2])));
        Xml.element(w, "southBoundLatitude", Xml.num(Math.max(-90, b[1])));
        Xml.element(w, "northBoundLatitude", Xml.num(Math.min(90, b[3])));
        w.writeEndElement();
    }

    /** A BoundingBox; {@code b} is east/north, written in the CRS's own axis order. */
    private static void boundingBox(XMLStreamWriter w, String crs, double[] b, double[] res) throws XMLStreamException {
        boolean swap = Crs.northingFirst(crs);
        w.writeEmptyElement("BoundingBox");
        w.writeAttribute("CRS", crs);
        w.writeAttribute("minx", Xml.num(swap ? b[1] : b[0]));
        w.writeAttribute("miny", Xml.num(swap ? b[0] : b[1]));
        w.writeAttribute("maxx", Xml.num(swap ? b[3] : b[2]));
        w.writeAttribute("maxy", Xml.num(swap ? b[2] : b[3]));
        if (res != null) {
            w.writeAttribute("resx", Xml.num(swap ? res[1] : res[0]));
            w.writeAttribute("resy", Xml.num(swap ? res[0] : res[1]));
        }
    }

    /**
     * The east/north envelope of grid {@code g} in CRS {@code to}, from its edges densified to
     * {@value #DENSIFY} points each; null when no edge point can be transformed.
     */
    static double[] envelope(Grid g, String to) {
        int n = 4 * DENSIFY;
        double[] p = new double[2 * n];
        for (int k = 0; k < DENSIFY; k++) {
            double f = k / (double) DENSIFY;
            double x = g.minX() + f * (g.maxX() - g.minX());
            double y = g.minY() + f * (g.maxY() - g.minY());
            double x2 = g.maxX() - f * (g.maxX() - g.minX());
            double y2 = g.maxY() - f * (g.maxY() - g.minY());
            int o = 8 * k;
            p[o] = x; // south edge, west to east
            p[o + 1] = g.minY();
            p[o + 2] = g.maxX(); // east edge, south to north
            p[o + 3] = y;
            p[o + 4] = x2; // north edge, east to west
            p[o + 5] = g.maxY();
            p[o + 6] = g.minX(); // west edge, north to south
            p[o + 7] = y2;
        }
        try {
            Crs.transform(g.crs(), to, p, n);
        } catch (UnknownCrsException e) {
            return null;
        }
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            double x = p[2 * i];
            double y = p[2 * i + 1];
            if (Double.isFinite(x) && Double.isFinite(y)) {
                b[0] = Math.min(b[0], x);
                b[1] = Math.min(b[1], y);
                b[2] = Math.max(b[2], x);
                b[3] = Math.max(b[3], y);
            }
        }
        return b[0] <= b[2] && b[1] <= b[3] ? b : null;
    }
}
