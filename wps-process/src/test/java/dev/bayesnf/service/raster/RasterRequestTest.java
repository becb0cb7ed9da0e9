package dev.bayesnf.service.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFTrainer;
import dev.bayesnf.service.geo.UnknownCrsException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Time, feature, CRS and size validation of raster requests, one place for forecast and interpolate. */
final class RasterRequestTest {
    private static final Grid GRID = new Grid("EPSG:4326", -10, 51, -6, 55, 4, 3);

    private static RasterPlan plan(BayesNFModel m, RasterKind kind, String... times) {
        return new RasterRequest(kind, GRID, List.of(times), new double[] {0.5}).plan(m);
    }

    private static void assertRefused(BayesNFModel m, RasterKind kind, List<String> fragments, String... times) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(m, kind, times));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void testForecastOfCalendarModel() {
        BayesNFModel m = RasterFixtures.calendar();
        assertEquals(List.of("2020-02-21"), plan(m, RasterKind.FORECAST).labels());
        RasterPlan p = plan(m, RasterKind.FORECAST, "2020-02-22", "2020-02-25T00:00", "2020-03-01T00:00:00Z");
        assertEquals(List.of("2020-02-22", "2020-02-25", "2020-03-01"), p.labels());
        assertArrayEquals(new double[] {52, 55, 60}, p.rawTimes());
        assertRefused(m, RasterKind.FORECAST, List.of("2020-02-20", "not after", "2020-02-01 .. 2020-02-20", "interpolate"),
                "2020-02-20");
        assertRefused(m, RasterKind.FORECAST, List.of("1999-01-01", "2020-02-01 .. 2020-02-20"), "2020-02-22", "1999-01-01");
    }

    @Test
    void testInterpolationOfCalendarModel() {
        BayesNFModel m = RasterFixtures.calendar();
        assertEquals(List.of("2020-02-20"), plan(m, RasterKind.INTERPOLATE).labels());
        assertEquals(List.of("2020-02-01", "2020-02-10"),
                plan(m, RasterKind.INTERPOLATE, "2020-02-01", "2020-02-10T12:00:00Z").labels());
        assertRefused(m, RasterKind.INTERPOLATE, List.of("2020-02-21", "outside the training time range",
                "2020-02-01 .. 2020-02-20", "use forecast"), "2020-02-21");
        assertRefused(m, RasterKind.INTERPOLATE, List.of("2020-01-31", "2020-02-01 .. 2020-02-20"), "2020-01-31");
    }

    @Test
    void testBadAndDuplicateTimes() {
        BayesNFModel m = RasterFixtures.calendar();
        assertRefused(m, RasterKind.FORECAST, List.of("'21/02/2020'", "ISO 8601"), "21/02/2020");
        assertRefused(m, RasterKind.FORECAST, List.of("2020-02-22T06:00", "twice", "2020-02-22"),
                "2020-02-22", "2020-02-22T06:00");
    }

    @Test
    void testNumericTime() {
        BayesNFModel m = RasterFixtures.numericUtm();
        assertEquals(List.of("10"), plan(m, RasterKind.FORECAST).labels());
        assertEquals(List.of("9"), plan(m, RasterKind.INTERPOLATE).labels());
        assertEquals(List.of("9.5", "100"), plan(m, RasterKind.FORECAST, "9.5", "1e2").labels());
        assertEquals(List.of("0", "4.5"), plan(m, RasterKind.INTERPOLATE, "0", "4.5").labels());
        assertRefused(m, RasterKind.FORECAST, List.of("forecast time 9 ", "0 .. 9"), "9");
        assertRefused(m, RasterKind.INTERPOLATE, List.of("-1", "0 .. 9"), "-1");
        assertRefused(m, RasterKind.INTERPOLATE, List.of("'2020-01-01'", "not a number", "'t'"), "2020-01-01");
    }

    @Test
    void testPurelySpatialModel() {
        BayesNFModel m = RasterFixtures.spatial();
        RasterPlan p = plan(m, RasterKind.INTERPOLATE);
        assertEquals(List.of(), p.labels());
        assertEquals(12, p.cellSteps());
        assertRefused(m, RasterKind.INTERPOLATE, List.of("purely spatial", "2020-02-01"), "2020-02-01");
        assertRefused(m, RasterKind.FORECAST, List.of("purely spatial", "cannot forecast", "interpolate"));
    }

    @Test
    void testSingleTrainingTime() {
        BayesNFModel m = RasterFixtures.oneTime();
        assertEquals(1.0, m.stats().timeScale());
        assertEquals(List.of("2020-02-02"), plan(m, RasterKind.FORECAST).labels());
        assertEquals(List.of("2020-02-01"), plan(m, RasterKind.INTERPOLATE).labels());
        assertRefused(m, RasterKind.INTERPOLATE, List.of("2020-02-01 .. 2020-02-01"), "2020-02-02");
        // a model saved before the last training time was recorded: the range is read from the scale
        Map<String, String> prov = new HashMap<>(m.provenance());
        prov.remove(BayesNFTrainer.TRAINING_TIME_LAST);
        BayesNFModel old = new BayesNFModel(m.spec(), m.config(), m.stats(), m.components(), m.losses(), prov,
                m.georeference().orElseThrow());
        assertEquals(List.of("2020-02-03"), plan(old, RasterKind.FORECAST).labels());
        assertRefused(old, RasterKind.FORECAST, List.of("2020-02-01 .. 2020-02-02", "does not record"), "2020-02-02");
    }

    @Test
    void testModelsThatCannotMakeRasters() {
        BayesNFModel m = RasterFixtures.calendar();
        assertRefused(m.withGeoreference(null), RasterKind.FORECAST, List.of("no georeference", "--coordinates", "--crs"));
        assertRefused(RasterFixtures.withElevation(), RasterKind.INTERPOLATE,
                List.of("[elevation]", "longitude, latitude", "cannot supply"));
        dev.bayesnf.core.Georeference g = m.georeference().orElseThrow();
        BayesNFModel rd = m.withGeoreference(new dev.bayesnf.core.Georeference(g.x(), g.y(), "EPSG:99999",
                g.minX(), g.minY(), g.maxX(), g.maxY()));
        assertRefused(rd, RasterKind.FORECAST, List.of("EPSG:99999"));
        UnknownCrsException e = assertThrows(UnknownCrsException.class, () -> new RasterRequest(RasterKind.FORECAST,
                new Grid("EPSG:99999", 0, 0, 1, 1, 1, 1), List.of(), new double[0]).plan(m));
        assertTrue(e.getMessage().contains("EPSG:99999"));
    }

    @Test
    void testSizeLimitsBeforeAnyWork() {
        Grid big = new Grid("EPSG:4326", -10, 51, -6, 55, 10_000, 6_000);
        RasterRequest r = new RasterRequest(RasterKind.FORECAST, big, List.of(), new double[] {0.1, 0.9});
        assertEquals(60_000_000L, r.cellSteps());
        assertEquals(180_000_000L, r.values());
        assertEquals(720_000_000L, r.estimatedBytes());
        assertEquals(120_000_000L, RasterRequest.cellSteps(big, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::checkLimits);
        assertTrue(e.getMessage().contains("60,000,000") && e.getMessage().contains("50,000,000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.plan(RasterFixtures.calendar()));
        Grid mid = new Grid("EPSG:4326", -10, 51, -6, 55, 5_000, 5_000);
        RasterRequest manyQuantiles = new RasterRequest(RasterKind.FORECAST, mid, List.of(),
                new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99});
        e = assertThrows(IllegalArgumentException.class, manyQuantiles::checkLimits);
        assertTrue(e.getMessage().contains("300,000,000 values"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RasterRequest(RasterKind.FORECAST, GRID, List.of(), new double[] {1.0}));
    }

    @Test
    void testTrainingGrid() {
        Grid g = RasterRequest.trainingGrid(RasterFixtures.calendar(), 10, 8);
        assertEquals(new Grid("EPSG:4326", -10.0, 52.7, -6.2, 54.2, 10, 8), g);
    }
}
