package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterProduct;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GetFeatureInfo answers (OGC 06-042 §7.4): for each queried layer, the grid cell under pixel
 * (I, J) of the map at the requested time step, with its centre, the predictive mean and every
 * quantile. A pixel outside the grid, or over a NoData cell, gives a "no data" entry, not an
 * error. Values are the stored float32 numbers, printed exactly (shortest decimal form).
 *
 * <p>Formats: {@code text/plain}; {@code application/json} (a GeoJSON FeatureCollection with the
 * cell centre as a lon/lat Point, which QGIS reads as features); {@code text/xml}; and
 * {@code text/html} (a table, for QGIS's HTML identify view).
 */
final class FeatureInfo {
    private static final JsonFactory JSON = new JsonFactory();

    /** The answer for one queried layer; {@code column < 0} when there is no data. */
    record Hit(MapRequest.MapLayer layer, int column, int row, double x, double y, double lon, double lat,
            float mean, float[] quantiles) {
        boolean hasData() {
            return column >= 0;
        }

        String time() {
            List<String> t = layer.product().times();
            return t.isEmpty() ? null : t.get(layer.step());
        }
    }

    private FeatureInfo() {}

    /** The cell under pixel (i, j) of map {@code r} in layer {@code l}. */
    static Hit query(MapRequest r, MapRequest.MapLayer l, int i, int j) {
        double px = r.minX() + (i + 0.5) * (r.maxX() - r.minX()) / r.width();
        double py = r.maxY() - (j + 0.5) * (r.maxY() - r.minY()) / r.height();
        RasterProduct p = l.product();
        Grid g = p.grid();
        double[] xy = {px, py};
        Crs.transform(r.crs(), g.crs(), xy, 1);
        int c = MapRenderer.column(g, xy[0]);
        int rr = MapRenderer.row(g, xy[1]);
        if (c < 0 || rr < 0) {
            return new Hit(l, -1, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Float.NaN, new float[0]);
        }
        int cell = rr * g.width() + c;
        float mean = p.bands()[p.meanBand(l.step())][cell];
        float[] q = new float[p.levels().length];
        for (int k = 0; k < q.length; k++) {
            q[k] = p.bands()[p.quantileBand(l.step(), k)][cell];
        }
        if (Float.isNaN(mean)) {
            return new Hit(l, -1, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Float.NaN, new float[0]);
        }
        double[] centre = {g.centerX(c), g.centerY(rr)};
        double[] ll = centre.clone();
        Crs.transform(g.crs(), "CRS:84", ll, 1);
        return new Hit(l, c, rr, centre[0], centre[1], ll[0], ll[1], mean, q);
    }

    static HttpReply format(String infoFormat, List<Hit> hits) {
        String f = infoFormat.toLowerCase(Locale.ROOT).replace(" ", "");
        if (f.startsWith("text/plain")) {
            return HttpReply.text(200, "text/plain; charset=UTF-8", text(hits));
        } else if (f.startsWith("application/json") || f.startsWith("application/geo+json")) {
            return HttpReply.of(200, "application/json", json(hits));
        } else if (f.startsWith("text/xml") || f.startsWith("application/xml")) {
            return HttpReply.of(200, "text/xml", xml(hits));
        } else if (f.startsWith("text/html")) {
            return HttpReply.text(200, "text/html; charset=UTF-8", html(hits));
        }
        throw new WmsException(WmsException.INVALID_FORMAT, "INFO_FORMAT", "unsupported INFO_FORMAT '" + infoFormat
                + "' (supported: " + String.join(", ", CapabilitiesWriter.INFO_FORMATS) + ")");
    }

    private static String text(List<Hit> hits) {
        StringBuilder s = new StringBuilder();
        for (Hit h : hits) {
            LayerInfo info = h.layer().info();
            s.append("Layer '").append(info.name()).append("' (").append(info.target()).append(")\n");
            if (h.time() != null) {
                s.append("  time: ").append(h.time()).append('\n');
            }
            if (!h.hasData()) {
                s.append("  no data at this point\n");
                continue;
            }
            String crs = h.layer().product().grid().crs();
            s.append("  cell: column ").append(h.column()).append(", row ").append(h.row()).append('\n');
            s.append("  centre: x=").append(Xml.coordinate(h.x())).append(", y=").append(Xml.coordinate(h.y())).append(" (")
                    .append(crs).append("; east, north)\n");
            s.append("  mean: ").append(h.mean()).append('\n');
            double[] levels = h.layer().product().levels();
            for (int k = 0; k < levels.length; k++) {
                s.append("  ").append(RasterProduct.quantileName(levels[k])).append(": ").append(h.quantiles()[k])
                        .append('\n');
            }
        }
        return s.toString();
    }

    private static byte[] json(List<Hit> hits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            g.writeArrayFieldStart("features");
            for (Hit h : hits) {
                if (!h.hasData()) {
                    continue; // GeoJSON: no feature where there is no data
                }
                LayerInfo info = h.layer().info();
                g.writeStartObject();
                g.writeStringField("type", "Feature");
                g.writeStringField("id", info.name() + "." + h.column() + "." + h.row());
                g.writeObjectFieldStart("geometry");
                g.writeStringField("type", "Point");
                g.writeArrayFieldStart("coordinates");
                g.writeNumber(round(h.lon()));
                g.writeNumber(round(h.lat()));
                g.writeEndArray();
                g.writeEndObject();
                g.writeObjectFieldStart("properties");
                g.writeStringField("layer", info.name());
                g.writeStringField("target", info.target());
                if (h.time() != null) {
                    g.writeStringField("time", h.time());
                }
                g.writeNumberField("column", h.column());
                g.writeNumberField("row", h.row());
                g.writeStringField("crs", h.layer().product().grid().crs());
                g.writeNumberField("x", round(h.x()));
                g.writeNumberField("y", round(h.y()));
                g.writeNumberField("mean", h.mean());
                double[] levels = h.layer().product().levels();
                for (int k = 0; k < levels.length; k++) {
                    g.writeNumberField(RasterProduct.quantileName(levels[k]), h.quantiles()[k]);
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] xml(List<Hit> hits) {
        return Xml.document(w -> {
            w.writeStartElement("FeatureInfoResponse");
            for (Hit h : hits) {
                LayerInfo info = h.layer().info();
                w.writeStartElement("Layer");
                w.writeAttribute("name", info.name());
                w.writeAttribute("target", info.target());
                if (h.time() != null) {
                    w.writeAttribute("time", h.time());
                }
                if (!h.hasData()) {
                    w.writeEmptyElement("NoData");
                } else {
                    w.writeStartElement("Cell");
                    w.writeAttribute("column", Integer.toString(h.column()));
                    w.writeAttribute("row", Integer.toString(h.row()));
                    w.writeAttribute("crs", h.layer().product().grid().crs());
                    w.writeAttribute("x", Xml.coordinate(h.x()));
                    w.writeAttribute("y", Xml.coordinate(h.y()));
                    w.writeAttribute("lon", Xml.coordinate(h.lon()));
                    w.writeAttribute("lat", Xml.coordinate(h.lat()));
                    Xml.element(w, "Mean", Float.toString(h.mean()));
                    double[] levels = h.layer().product().levels();
                    for (int k = 0; k < levels.length; k++) {
                        w.writeStartElement("Quantile");
                        w.writeAttribute("level", Xml.num(levels[k]));
                        w.writeCharacters(Float.toString(h.quantiles()[k]));
                        w.writeEndElement();
                    }
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    private static String html(List<Hit> hits) {
        StringBuilder s = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>"
                + "GetFeatureInfo</title></head><body>\n");
        for (Hit h : hits) {
            LayerInfo info = h.layer().info();
            s.append("<table border=\"1\"><caption>").append(escape(info.title())).append(" (")
                    .append(escape(info.name())).append(")</caption>\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"variable", info.target()});
            if (h.time() != null) {
                rows.add(new String[] {"time", h.time()});
            }
            if (!h.hasData()) {
                rows.add(new String[] {"value", "no data at this point"});
            } else {
                rows.add(new String[] {"cell (column, row)", h.column() + ", " + h.row()});
                rows.add(new String[] {"centre (" + h.layer().product().grid().crs() + ")",
                        Xml.coordinate(h.x()) + ", " + Xml.coordinate(h.y())});
                rows.add(new String[] {"mean", Float.toString(h.mean())});
                double[] levels = h.layer().product().levels();
                for (int k = 0; k < levels.length; k++) {
                    rows.add(new String[] {RasterProduct.quantileName(levels[k]), Float.toString(h.quantiles()[k])});
                }
            }
            for (String[] r : rows) {
                s.append("<tr><th>").append(escape(r[0])).append("</th><td>").append(escape(r[1]))
                        .append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        return s.append("</body></html>\n").toString();
    }

    private static double round(double v) {
        return Double.parseDouble(Xml.coordinate(v));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
