package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.geotools.api.data.Parameter;
import org.geotools.api.feature.type.Name;
import org.geotools.coverage.grid.GridCoverage2D;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.feature.NameImpl;
import org.geotools.geometry.jts.ReferencedEnvelope;
import org.geotools.process.ProcessException;
import org.geotools.process.ProcessFactory;
import org.geotools.referencing.CRS;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BayesNFProcessFactoryTest {
    @TempDir
    static Path dir;
    static BayesNFProcessFactory factory;
    static String model;

    static Name name(String local) {
        return new NameImpl("bayesnf", local);
    }

    /** 9 stations on a 3 x 3 lattice over 12 days, wind with a trend in space and a weekly cycle. */
    static Fakes.Collection observations() throws Exception {
        Fakes.Collection fc = new Fakes.Collection(CRS.decode("EPSG:4326", true),
                new Fakes.Attr("datetime", java.sql.Date.class), new Fakes.Attr("wind", Double.class));
        for (int d = 1; d <= 12; d++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double lon = -10 + 2 * i;
                    double lat = 52 + 1.5 * j;
                    double v = 10 + 0.8 * (lon + 10) - 0.5 * (lat - 52) + 3 * Math.sin(2 * Math.PI * d / 7);
                    fc.add(Fakes.point(lon, lat), java.sql.Date.valueOf(String.format("1977-01-%02d", d)), v);
                }
            }
        }
        return fc;
    }

    @BeforeAll
    static void fit() throws Exception {
        factory = new BayesNFProcessFactory(PluginEnvironment.at(dir));
        Map<String, Object> in = new HashMap<>();
        in.put("data", observations());
        in.put("target", "wind");
        in.put("time", "datetime");
        in.put("freq", "D");
        in.put("seasonality", "7");
        in.put("ensemble", 2);
        in.put("epochs", 40);
        in.put("width", 8);
        in.put("depth", 1);
        Fakes.RecordingListener l = new Fakes.RecordingListener();
        Map<String, Object> out = factory.create(name("Fit")).execute(in, l);
        model = (String) out.get("model");
        assertTrue(model.startsWith("m-"), model);
        assertEquals(1, l.started);
        assertEquals(1, l.completed);
        assertFalse(l.progress.isEmpty(), "training progress is reported");
        assertTrue(l.tasks.stream().anyMatch(t -> t.startsWith("epoch")), l.tasks.toString());
        JsonNode report = new ObjectMapper().readTree((String) out.get("report"));
        assertEquals("wind", report.get("target").asText());
        assertEquals("EPSG:4326", report.path("georeference").path("crs").asText());
        assertFalse(out.containsKey("modelFile"), "the model file stays in the model folder");
        assertTrue(Files.isRegularFile(dir.resolve("models").resolve(model + ".bnf")));
        try (var s = Files.list(dir.resolve("work"))) {
            assertEquals(0, s.count(), "scratch folders are removed");
        }
    }

    @Test
    void testTheServiceLoaderFindsTheFactoryWithTheFiveProcesses() {
        List<ProcessFactory> found = StreamSupport.stream(ServiceLoader.load(ProcessFactory.class).spliterator(), false)
                .toList();
        assertTrue(found.stream().anyMatch(f -> f instanceof BayesNFProcessFactory), found.toString());
        assertEquals(List.of("bayesnf:Fit", "bayesnf:Forecast", "bayesnf:Interpolate", "bayesnf:Predict",
                "bayesnf:Variogram"), factory.getNames().stream().map(Name::getURI).toList());
        assertTrue(factory.isAvailable());
        assertEquals("1.0.0", factory.getVersion(name("Forecast")));
        assertTrue(factory.supportsProgress(name("Fit")));
        assertThrows(IllegalArgumentException.class, () -> factory.create(name("echo")));
        assertThrows(IllegalArgumentException.class, () -> factory.getTitle(new NameImpl("gs", "Fit")));
    }

    @Test
    void testParametersAreDescribedFromTheProcessSpecs() {
        Map<String, Parameter<?>> fit = factory.getParameterInfo(name("Fit"));
        assertEquals(SimpleFeatureCollection.class, fit.get("data").type);
        assertTrue(fit.get("data").required);
        assertEquals(List.of("h", "D", "W", "M", "Q", "Y"), fit.get("freq").metadata.get(Parameter.OPTIONS));
        assertFalse(fit.get("freq").required);
        assertEquals(Integer.class, fit.get("epochs").type);
        assertNull(fit.get("epochs").sample, "no fixed number: left out, the epochs are scaled to the data");
        assertFalse(fit.get("epochs").required);
        assertTrue(fit.get("epochs").description.toString().contains("scaled to the data"));
        assertEquals(64, fit.get("features").maxOccurs);
        Map<String, Parameter<?>> fc = factory.getParameterInfo(name("Forecast"));
        assertEquals(ReferencedEnvelope.class, fc.get("outputBBOX").type);
        assertEquals(Integer.class, fc.get("outputWidth").type);
        assertEquals(1, fc.get("outputWidth").metadata.get(Parameter.MIN));
        assertEquals(16384, fc.get("outputWidth").metadata.get(Parameter.MAX));
        assertEquals(1000, fc.get("time").maxOccurs);
        assertEquals(SimpleFeatureCollection.class, factory.getParameterInfo(name("Predict")).get("points").type);
        Map<String, Parameter<?>> res = factory.getResultInfo(name("Forecast"), Map.of());
        assertEquals(List.of("result"), List.copyOf(res.keySet()), "no WMS layer output inside GeoServer");
        assertEquals(GridCoverage2D.class, res.get("result").type);
        assertEquals(List.of("model", "report"), List.copyOf(factory.getResultInfo(name("Fit"), Map.of()).keySet()));
        assertEquals(String.class, factory.getResultInfo(name("Variogram"), Map.of()).get("result").type);
    }

    @Test
    void testForecastOnAnEnvelopeGivesACoverageOfEveryTimeAndQuantile() throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("model", model);
        in.put("outputBBOX", new ReferencedEnvelope(51.5, 55.5, -10.5, -5.5, CRS.decode("EPSG:4326")));
        in.put("outputWidth", 20);
        in.put("outputHeight", 16);
        in.put("time", List.of("1977-01-13", "1977-01-14"));
        Fakes.RecordingListener l = new Fakes.RecordingListener();
        Map<String, Object> out = factory.create(name("Forecast")).execute(in, l);
        GridCoverage2D cov = assertInstanceOf(GridCoverage2D.class, out.get("result"));
        assertEquals("forecast_wind", cov.getName().toString());
        assertEquals(2 * 4, cov.getNumSampleDimensions(), "2 times x (mean + 3 default quantiles)");
        ReferencedEnvelope e = cov.getEnvelope2D();
        assertEquals(-10.5, e.getMinX(), 1e-9);
        assertEquals(51.5, e.getMinY(), 1e-9);
        assertEquals(-5.5, e.getMaxX(), 1e-9);
        assertEquals(55.5, e.getMaxY(), 1e-9);
        Raster r = cov.getRenderedImage().getData();
        assertEquals(20, r.getWidth());
        assertEquals(16, r.getHeight());
        float mean = r.getSampleFloat(10, 8, 0);
        float lo = r.getSampleFloat(10, 8, 1);
        float hi = r.getSampleFloat(10, 8, 3);
        assertTrue(Float.isFinite(mean) && lo <= hi, mean + " in [" + lo + ", " + hi + "]");
        assertEquals(100f, l.getProgress(), 5f);
        assertEquals(1, l.completed);
    }

    @Test
    void testPredictAndVariogramReturnTheirDocumentsAsText() throws Exception {
        Fakes.Collection pts = new Fakes.Collection(CRS.decode("EPSG:4326", true),
                new Fakes.Attr("datetime", String.class));
        pts.add(Fakes.point(-9, 52.5), "1977-01-13").add(Fakes.point(-7, 53.5), "1977-01-14");
        String csv = (String) factory.create(name("Predict")).execute(Map.of("model", model, "points", pts), null)
                .get("result");
        List<String> lines = csv.lines().collect(Collectors.toList());
        assertEquals("longitude,latitude,datetime,mean,q0.025,q0.5,q0.975", lines.get(0));
        assertEquals(3, lines.size());
        String json = (String) factory.create(name("Variogram")).execute(Map.of("data", observations(), "target", "wind",
                "time", "datetime", "freq", "D"), null).get("result");
        JsonNode v = new ObjectMapper().readTree(json);
        assertEquals("km", v.get("distanceUnit").asText());
        assertTrue(v.path("observations").path("spatial").size() > 0, json);
    }

    @Test
    void testRefusedInputsBecomeProcessExceptionsNamingTheInput() {
        Fakes.RecordingListener l = new Fakes.RecordingListener();
        ProcessException e = assertThrows(ProcessException.class, () -> factory.create(name("Forecast"))
                .execute(Map.of("model", model, "outputWidth", 0), l));
        assertTrue(e.getMessage().contains("outputWidth"), e.getMessage());
        assertInstanceOf(dev.bayesnf.service.process.ProcessException.class, l.failure);
        ProcessException unknown = assertThrows(ProcessException.class, () -> factory.create(name("Forecast"))
                .execute(Map.of("model", "m-nope"), null));
        // the unknown id is named; other models' ids are not listed (they are other users' business)
        assertTrue(unknown.getMessage().contains("m-nope") && !unknown.getMessage().contains(model),
                unknown.getMessage());
        ProcessException extra = assertThrows(ProcessException.class, () -> factory.create(name("Predict"))
                .execute(Map.of("model", model, "colour", "red"), null));
        assertTrue(extra.getMessage().contains("colour"), extra.getMessage());
    }

    @Test
    void testACancelledListenerDismissesTheFit() throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("data", observations());
        in.put("target", "wind");
        in.put("time", "datetime");
        in.put("freq", "D");
        in.put("epochs", 5000);
        in.put("ensemble", 2);
        in.put("width", 8);
        Fakes.RecordingListener l = new Fakes.RecordingListener();
        l.cancelAfter = 3;
        int before = factory.getNames().size();
        long models = Files.list(dir.resolve("models")).count();
        ProcessException e = assertThrows(ProcessException.class, () -> factory.create(name("Fit")).execute(in, l));
        assertTrue(e.getMessage().contains("dismissed"), e.getMessage());
        assertTrue(l.progress.size() < 100, "stopped soon after the cancel: " + l.progress.size() + " progress calls");
        assertEquals(before, factory.getNames().size());
        assertEquals(models, Files.list(dir.resolve("models")).count(), "no model is stored");
    }
}
