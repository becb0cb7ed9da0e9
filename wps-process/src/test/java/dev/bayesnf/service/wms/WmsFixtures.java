package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterProduct;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/**
 * Shared test data: a synthetic forecast over Ireland on a lon/lat grid, with two time steps and
 * quantiles 0.025/0.5/0.975 whose values are a known function of (step, column, row), plus a
 * purely spatial layer without quantiles and a layer on a UTM grid.
 */
final class WmsFixtures {
    static final String BASE = "http://maps.example.org:8080/bayesnf";
    static final String IRELAND = "bayesnf:ireland";
    static final String PLAIN = "bayesnf:plain";
    static final String UTM = "bayesnf:utm";
    static final List<String> TIMES = List.of("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
    static final double[] LEVELS = {0.025, 0.5, 0.975};
    /** 60 x 50 cells of 0.1 degree over -11..-5 E, 51..56 N. */
    static final Grid GRID = new Grid("EPSG:4326", -11, 51, -5, 56, 60, 50);
    /** 40 x 40 cells of 5 km in UTM zone 29N, roughly over the west of Ireland. */
    static final Grid UTM_GRID = new Grid("EPSG:32629", 400_000, 5_800_000, 600_000, 6_000_000, 40, 40);

    private WmsFixtures() {}

    /** The mean at step t, column c, row r; NaN for the NoData corner cell (0, 0). */
    static float mean(int t, int c, int r) {
        return c == 0 && r == 0 ? Float.NaN : 100f * t + c + 0.5f * r;
    }

    static float quantile(int t, int c, int r, int k) {
        float m = mean(t, c, r);
        float half = 2f + 0.05f * c + 10f * t;
        return k == 0 ? m - half : k == 1 ? m : m + half;
    }

    static RasterProduct ireland() {
        return product(GRID, TIMES, LEVELS);
    }

    static RasterProduct product(Grid g, List<String> times, double[] levels) {
        int steps = Math.max(1, times.size());
        float[][] bands = new float[steps * (1 + levels.length)][];
        for (int t = 0; t < steps; t++) {
            float[] m = new float[g.width() * g.height()];
            float[][] q = new float[levels.length][g.width() * g.height()];
            for (int r = 0; r < g.height(); r++) {
                for (int c = 0; c < g.width(); c++) {
                    m[r * g.width() + c] = mean(t, c, r);
                    for (int k = 0; k < levels.length; k++) {
                        q[k][r * g.width() + c] = quantile(t, c, r, k);
                    }
                }
            }
            bands[t * (1 + levels.length)] = m;
            for (int k = 0; k < levels.length; k++) {
                bands[t * (1 + levels.length) + 1 + k] = q[k];
            }
        }
        return new RasterProduct(g, times, levels, "pm25", bands);
    }

    static InMemoryLayerCatalog catalog() {
        InMemoryLayerCatalog c = new InMemoryLayerCatalog();
        Instant created = Instant.parse("2024-01-01T12:00:00Z");
        c.publish(new LayerInfo(IRELAND, "PM2.5 forecast, Ireland", "Synthetic test forecast.", GRID, TIMES, LEVELS,
                "pm25", created), ireland());
        c.publish(new LayerInfo(PLAIN, "Plain interpolation", "No quantiles, no time.", GRID, List.of(),
                new double[0], "pm25", created), product(GRID, List.of(), new double[0]));
        c.publish(new LayerInfo(UTM, "UTM layer", "A grid in UTM zone 29N.", UTM_GRID, TIMES, LEVELS, "pm25",
                created), product(UTM_GRID, TIMES, LEVELS));
        return c;
    }

    static WmsService service() {
        return new WmsService(catalog(), BASE + "/");
    }

    /** KVP from alternating keys and values. */
    static Kvp kvp(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Kvp.of(m);
    }

    /** A GetMap for {@link #IRELAND} with the given extra or overriding parameters. */
    static Kvp getMap(String... overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("SERVICE", "WMS");
        m.put("VERSION", "1.3.0");
        m.put("REQUEST", "GetMap");
        m.put("LAYERS", IRELAND);
        m.put("STYLES", "");
        m.put("CRS", "EPSG:4326");
        m.put("BBOX", "51,-11,56,-5");
        m.put("WIDTH", "60");
        m.put("HEIGHT", "50");
        m.put("FORMAT", "image/png");
        m.put("TRANSPARENT", "TRUE");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                m.remove(overrides[i]);
            } else {
                m.put(overrides[i], overrides[i + 1]);
            }
        }
        return Kvp.of(m);
    }

    static BufferedImage png(HttpReply reply) {
        assertEquals("image/png", reply.contentType(), () -> new String(reply.body()));
        assertEquals(200, reply.status());
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(reply.body()));
            assertTrue(img != null, "not a readable PNG");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expected colour (0xRRGGBB) of value v under a ramp stretched over [min, max]. */
    static int colour(ColorRamp ramp, double v, double min, double max) {
        int k = (int) Math.round((v - min) / (max - min) * (MapRenderer.LEVELS - 1));
        return ramp.table(MapRenderer.LEVELS)[k];
    }

    /** The official WMS 1.3.0 capabilities schema (from the OGC schema jar) plus sld:GetLegendGraphic. */
    static Schema capabilitiesSchema() throws SAXException {
        return schema(resource("/wms/1.3.0/capabilities_1_3_0.xsd"),
                resource("/dev/bayesnf/service/wms/sld-extended-operations.xsd"));
    }

    static Schema exceptionsSchema() throws SAXException {
        return schema(resource("/wms/1.3.0/exceptions_1_3_0.xsd"));
    }

    private static URL resource(String path) {
        URL u = WmsFixtures.class.getResource(path);
        assertTrue(u != null, path + " not on the test class path");
        return u;
    }

    private static Schema schema(URL... urls) throws SAXException {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        // offline: imports may only come from the class path (jar:/file:), never the network
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "jar,file");
        Source[] s = new Source[urls.length];
        for (int i = 0; i < urls.length; i++) {
            s[i] = new StreamSource(urls[i].toExternalForm());
        }
        return f.newSchema(s);
    }
}
