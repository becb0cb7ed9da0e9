package dev.bayesnf.service.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.core.Prediction;
import dev.bayesnf.core.compute.JavaBackend;
import dev.bayesnf.service.geo.Crs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Raster prediction equals point prediction at the cell centres, in every grid CRS and band. */
final class RasterPredictorTest {
    private static final double[] LEVELS = {0.1, 0.9};
    private static final RasterPredictor RASTER = new RasterPredictor(new JavaBackend(), 1);
    private static final BayesNFPredictor POINTS = new BayesNFPredictor(new JavaBackend(), 1);

    /** Point predictions at (x[i], y[i]) in the model's coordinate columns, at every time. */
    private static Prediction points(BayesNFModel model, double[] x, double[] y, List<String> times) {
        Georeference g = model.georeference().orElseThrow();
        List<String> t = new ArrayList<>();
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        for (String time : times.isEmpty() ? List.of("") : times) {
            for (int i = 0; i < x.length; i++) {
                t.add(time);
                xs.add(Double.toString(x[i]));
                ys.add(Double.toString(y[i]));
            }
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        if (model.spec().time() != null) {
            cols.put(model.spec().time(), t.toArray(new String[0]));
        }
        cols.put(g.x(), xs.toArray(new String[0]));
        cols.put(g.y(), ys.toArray(new String[0]));
        return POINTS.predict(model, new DataTable("points", 2, cols), LEVELS);
    }

    /** Asserts every band of {@code p} equals the point predictions, time step by time step. */
    private static void assertBandsEqualPoints(RasterProduct p, Prediction expected, double tol) {
        int cells = (int) p.grid().cells();
        for (int t = 0; t < p.timeSteps(); t++) {
            for (int c = 0; c < cells; c++) {
                int row = t * cells + c;
                assertEquals(expected.mean()[row], p.bands()[p.meanBand(t)][c], tol * (1 + Math.abs(expected.mean()[row])),
                        "mean, time " + t + ", cell " + c);
                for (int k = 0; k < LEVELS.length; k++) {
                    double q = expected.quantiles()[k][row];
                    assertEquals(q, p.bands()[p.quantileBand(t, k)][c], tol * (1 + Math.abs(q)),
                            "quantile " + LEVELS[k] + ", time " + t + ", cell " + c);
                }
            }
        }
    }

    private static double[][] centres(Grid g) {
        double[] x = new double[(int) g.cells()];
        double[] y = new double[x.length];
        for (int j = 0; j < g.height(); j++) {
            for (int i = 0; i < g.width(); i++) {
                x[j * g.width() + i] = g.centerX(i);
                y[j * g.width() + i] = g.centerY(j);
            }
        }
        return new double[][] {x, y};
    }

    @Test
    void testCellCentresAndBandOrder() {
        Grid grid = new Grid("EPSG:4326", -10, 51, -6, 55, 5, 4);
        assertEquals(-9.6, grid.centerX(0), 1e-12);
        assertEquals(54.5, grid.centerY(0), 1e-12);
        assertEquals(51.5, grid.centerY(3), 1e-12);
        List<String> times = List.of("2020-02-21", "2020-02-23");
        RasterProduct p = RASTER.predict(RasterFixtures.calendar(),
                new RasterRequest(RasterKind.FORECAST, grid, times, LEVELS), null, null);
        assertEquals(times, p.times());
        assertEquals(6, p.bands().length);
        assertEquals(List.of("wind mean @ 2020-02-21", "wind q0.1 @ 2020-02-21", "wind q0.9 @ 2020-02-21",
                "wind mean @ 2020-02-23", "wind q0.1 @ 2020-02-23", "wind q0.9 @ 2020-02-23"), p.bandDescriptions());
        double[][] c = centres(grid);
        assertBandsEqualPoints(p, points(RasterFixtures.calendar(), c[0], c[1], times), 1e-5);
        for (int c0 = 0; c0 < 20; c0++) {
            assertTrue(p.bands()[1][c0] < p.bands()[0][c0] && p.bands()[0][c0] < p.bands()[2][c0]);
        }
    }

    @Test
    void testWebMercatorGridEqualsLonLatPoints() {
        Grid grid = new Grid("EPSG:3857", -1_150_000, 6_650_000, -700_000, 7_250_000, 6, 5);
        RasterProduct p = RASTER.predict(RasterFixtures.calendar(),
                new RasterRequest(RasterKind.INTERPOLATE, grid, List.of("2020-02-10"), LEVELS), null, null);
        double[][] c = centres(grid);
        double r = 6378137.0;
        for (int i = 0; i < c[0].length; i++) {
            // inverse spherical Mercator, written out independently of SIS
            c[0][i] = Math.toDegrees(c[0][i] / r);
            c[1][i] = Math.toDegrees(Math.atan(Math.sinh(c[1][i] / r)));
        }
        assertBandsEqualPoints(p, points(RasterFixtures.calendar(), c[0], c[1], List.of("2020-02-10")), 1e-4);
    }

    @Test
    void testUtmGridEqualsLonLatPoints() {
        Grid grid = new Grid("EPSG:32629", 420_000, 5_750_000, 720_000, 6_050_000, 4, 4);
        RasterProduct p = RASTER.predict(RasterFixtures.calendar(),
                new RasterRequest(RasterKind.FORECAST, grid, List.of(), LEVELS), null, null);
        assertEquals(List.of("2020-02-21"), p.times());
        double[][] c = centres(grid);
        double[] xy = interleave(c);
        Crs.transform("EPSG:32629", "EPSG:4326", xy, c[0].length);
        for (int i = 0; i < c[0].length; i++) {
            c[0][i] = xy[2 * i];
            c[1][i] = xy[2 * i + 1];
            assertTrue(c[0][i] > -12 && c[0][i] < -4 && c[1][i] > 51 && c[1][i] < 55, "lon/lat " + c[0][i] + " " + c[1][i]);
        }
        assertBandsEqualPoints(p, points(RasterFixtures.calendar(), c[0], c[1], List.of("2020-02-21")), 1e-5);
    }

    @Test
    void testLonLatGridOnUtmModelWithNumericTime() {
        BayesNFModel m = RasterFixtures.numericUtm();
        Grid grid = new Grid("EPSG:4326", -10.5, 51.5, -6, 55, 3, 3);
        RasterProduct p = RASTER.predict(m, new RasterRequest(RasterKind.FORECAST, grid, List.of("10", "12.5"), LEVELS),
                null, null);
        assertEquals(List.of("10", "12.5"), p.times());
        double[][] c = centres(grid);
        double[] xy = interleave(c);
        Crs.transform("EPSG:4326", "EPSG:32629", xy, c[0].length);
        for (int i = 0; i < c[0].length; i++) {
            c[0][i] = xy[2 * i];
            c[1][i] = xy[2 * i + 1];
        }
        assertBandsEqualPoints(p, points(m, c[0], c[1], List.of("10", "12.5")), 1e-5);
    }

    @Test
    void testPurelySpatialModelHasOneGroupOfBands() {
        Grid grid = new Grid("CRS:84", -10, 51, -6, 55, 3, 2);
        RasterProduct p = RASTER.predict(RasterFixtures.spatial(),
                new RasterRequest(RasterKind.INTERPOLATE, grid, List.of(), LEVELS), null, null);
        assertEquals(List.of(), p.times());
        assertEquals(List.of("wind mean", "wind q0.1", "wind q0.9"), p.bandDescriptions());
        double[][] c = centres(grid);
        assertBandsEqualPoints(p, points(RasterFixtures.spatial(), c[0], c[1], List.of()), 1e-5);
    }

    @Test
    void testCellsThatCannotBeTransformedAreNoData() {
        BayesNFModel utm = RasterFixtures.numericUtm();
        Georeference g = utm.georeference().orElseThrow();
        BayesNFModel mercator = utm.withGeoreference(new Georeference(g.x(), g.y(), "EPSG:3857", -1e6, 6e6, -5e5, 7e6));
        // rows at latitudes 97.5 and 92.5 have no Mercator coordinates
        Grid grid = new Grid("EPSG:4326", -10, 80, -6, 100, 2, 4);
        RasterProduct p = RASTER.predict(mercator, new RasterRequest(RasterKind.INTERPOLATE, grid, List.of("3"), LEVELS),
                null, null);
        for (float[] band : p.bands()) {
            for (int c = 0; c < 8; c++) {
                assertEquals(c < 4, Float.isNaN(band[c]), "cell " + c);
            }
        }
    }

    @Test
    void testProgressAndCancellationBetweenChunks() {
        Grid grid = new Grid("EPSG:4326", -10, 51, -6, 55, 200, 100);
        RasterRequest req = new RasterRequest(RasterKind.FORECAST, grid, List.of("2020-02-21", "2020-02-22"), new double[0]);
        List<Double> seen = new ArrayList<>();
        RasterProduct p = RASTER.predict(RasterFixtures.calendar(), req, null, seen::add);
        assertEquals(4, seen.size(), "2 chunks x 2 times: " + seen);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0}, seen.stream().mapToDouble(Double::doubleValue).toArray(), 1e-12);
        for (float v : p.bands()[1]) {
            assertFalse(Float.isNaN(v));
        }
        AtomicInteger polls = new AtomicInteger();
        assertThrows(CancellationException.class,
                () -> RASTER.predict(RasterFixtures.calendar(), req, () -> polls.incrementAndGet() > 2, null));
        assertEquals(3, polls.get());
    }

    private static double[] interleave(double[][] c) {
        double[] xy = new double[2 * c[0].length];
        for (int i = 0; i < c[0].length; i++) {
            xy[2 * i] = c[0][i];
            xy[2 * i + 1] = c[1][i];
        }
        return xy;
    }
}
