package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterProduct;
import java.awt.image.Raster;
import java.util.List;
import org.geotools.coverage.grid.GridCoverage2D;
import org.geotools.geometry.jts.ReferencedEnvelope;
import org.geotools.referencing.CRS;
import org.junit.jupiter.api.Test;

final class CoveragesTest {

    @Test
    void testEastFirstEnvelopeBecomesTheSameGrid() throws Exception {
        ReferencedEnvelope env = new ReferencedEnvelope(-10.8, -5.2, 51.2, 55.6, CRS.decode("EPSG:4326", true));
        assertEquals(new Grid("EPSG:4326", -10.8, 51.2, -5.2, 55.6, 200, 220), Coverages.grid("outputBBOX", env, 200, 220));
    }

    @Test
    void testNorthFirstEnvelopeIsSwapped() throws Exception {
        ReferencedEnvelope env = new ReferencedEnvelope(51.2, 55.6, -10.8, -5.2, CRS.decode("EPSG:4326"));
        InputValue.BoundingBox b = Coverages.boundingBox("outputBBOX", env);
        assertEquals("EPSG:4326", b.crs());
        assertArrayEquals(new double[] {-10.8, 51.2}, b.lower());
        assertArrayEquals(new double[] {-5.2, 55.6}, b.upper());
    }

    @Test
    void testProjectedEnvelopeKeepsItsCode() throws Exception {
        ReferencedEnvelope env = new ReferencedEnvelope(400000, 500000, 5900000, 6000000, CRS.decode("EPSG:32629", true));
        Grid g = Coverages.grid("outputBBOX", env, 10, 10);
        assertEquals("EPSG:32629", g.crs());
        assertEquals(10000, g.cellWidth(), 1e-9);
    }

    @Test
    void testEmptyEnvelopeIsRefusedNamingTheInput() throws Exception {
        ReferencedEnvelope env = new ReferencedEnvelope(1, 1, 2, 3, CRS.decode("EPSG:4326", true));
        ProcessException e = assertThrows(ProcessException.class, () -> Coverages.grid("outputBBOX", env, 10, 10));
        assertEquals("outputBBOX", e.locator());
    }

    @Test
    void testProductBecomesAFloatCoverageWithEveryBandOnItsGrid() {
        Grid grid = new Grid("CRS:84", -10, 50, -6, 53, 4, 3);
        double[] levels = {0.025, 0.975};
        float[][] bands = new float[2 * 3][12];
        for (int b = 0; b < bands.length; b++) {
            for (int c = 0; c < 12; c++) {
                bands[b][c] = 100 * b + c;
            }
        }
        bands[0][5] = Float.NaN;
        RasterProduct p = new RasterProduct(grid, List.of("1979-01-01", "1979-01-02"), levels, "wind", bands);
        GridCoverage2D cov = Coverages.coverage("forecast_wind", p);
        assertEquals("forecast_wind", cov.getName().toString());
        assertEquals(6, cov.getNumSampleDimensions());
        Raster r = cov.getRenderedImage().getData();
        assertEquals(4, r.getWidth());
        assertEquals(3, r.getHeight());
        assertEquals(java.awt.image.DataBuffer.TYPE_FLOAT, r.getSampleModel().getDataType());
        // cell (col 2, row 1) is index 6; band 4 is q0.025 of the second time step
        assertEquals(p.bands()[p.quantileBand(1, 0)][6], r.getSampleFloat(2, 1, 4));
        assertEquals(406f, r.getSampleFloat(2, 1, 4));
        assertTrue(Float.isNaN(r.getSampleFloat(1, 1, 0)), "NoData stays NaN");
        ReferencedEnvelope e = cov.getEnvelope2D();
        assertEquals(-10, e.getMinX());
        assertEquals(53, e.getMaxY());
        assertEquals(CRS.AxisOrder.EAST_NORTH, CRS.getAxisOrder(cov.getCoordinateReferenceSystem()));
        assertEquals("EPSG:4326", Coverages.code("result", cov.getCoordinateReferenceSystem()),
                "CRS:84 becomes EPSG:4326 longitude first, which gs:Import can store");
    }
}
