package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.process.DataDocuments;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.geotools.referencing.CRS;
import org.junit.jupiter.api.Test;

final class FeatureTablesTest {

    @Test
    void testLongitudeFirstPointsBecomeLongitudeLatitudeColumnsWithEveryAttribute() throws Exception {
        Fakes.Collection fc = new Fakes.Collection(CRS.decode("EPSG:4326", true), new Fakes.Attr("datetime",
                java.sql.Date.class), new Fakes.Attr("wind", Double.class), new Fakes.Attr("station", String.class),
                new Fakes.Attr("seen", Date.class));
        fc.add(Fakes.point(-10, 54.25), java.sql.Date.valueOf("1977-01-01"), 14.88, "BEL",
                Date.from(Instant.parse("1977-01-01T06:00:00Z")));
        fc.add(Fakes.point(-7.88, 53.08), java.sql.Date.valueOf("1977-01-02"), null, "BIR, \"x\"", null);
        FeatureTables.FeatureTable t = FeatureTables.of("data", fc);
        assertTrue(fc.closed, "the iterator is closed");
        assertEquals(List.of("longitude", "latitude", "datetime", "wind", "station", "seen"),
                List.copyOf(t.columns().keySet()));
        assertEquals("EPSG:4326", t.crs());
        assertTrue(t.geographic());
        assertEquals(2, t.rows());
        DataTable table = DataDocuments.table("data", new InputValue.Complex(t.csv(), "text/csv"), 100);
        assertArrayEquals(new double[] {-10, -7.88}, table.numeric("longitude", false), 0);
        assertArrayEquals(new double[] {54.25, 53.08}, table.numeric("latitude", false), 0);
        assertArrayEquals(new String[] {"1977-01-01", "1977-01-02"}, table.text("datetime"));
        assertArrayEquals(new String[] {"14.88", ""}, table.text("wind"));
        assertArrayEquals(new String[] {"BEL", "BIR, \"x\""}, table.text("station"), "CSV quoting survives");
        assertArrayEquals(new String[] {"1977-01-01T06:00:00Z", ""}, table.text("seen"));
        assertArrayEquals(table.text("station"), t.table("data").text("station"));
    }

    @Test
    void testLatitudeFirstPointsAreSwappedToEastNorth() throws Exception {
        Fakes.Collection fc = new Fakes.Collection(CRS.decode("EPSG:4326"), new Fakes.Attr("v", Integer.class));
        fc.add(Fakes.point(54.25, -10), 1);
        FeatureTables.FeatureTable t = FeatureTables.of("data", fc);
        assertArrayEquals(new String[] {"-10.0"}, t.columns().get("longitude"));
        assertArrayEquals(new String[] {"54.25"}, t.columns().get("latitude"));
    }

    @Test
    void testProjectedPointsBecomeXyColumnsWithTheirCode() throws Exception {
        Fakes.Collection fc = new Fakes.Collection(CRS.decode("EPSG:32629", true), new Fakes.Attr("x", Double.class),
                new Fakes.Attr("z", Float.class));
        fc.add(Fakes.point(500000, 6000000), 1.0, Float.NaN);
        FeatureTables.FeatureTable t = FeatureTables.of("data", fc);
        assertEquals("x", t.xColumn());
        assertEquals("y", t.yColumn());
        assertEquals("EPSG:32629", t.crs());
        assertFalse(t.geographic());
        assertEquals(List.of("x", "y", "z"), List.copyOf(t.columns().keySet()), "an attribute named x gives way");
        assertArrayEquals(new String[] {""}, t.columns().get("z"), "NaN is an empty cell");
    }

    @Test
    void testNoCrsMeansWgs84LongitudeLatitude() {
        Fakes.Collection fc = new Fakes.Collection(null).add(Fakes.point(1, 2));
        FeatureTables.FeatureTable t = FeatureTables.of("data", fc);
        assertEquals("EPSG:4326", t.crs());
        assertEquals("longitude", t.xColumn());
    }

    @Test
    void testNonPointGeometryIsRefusedNamingTheInputAndFeature() throws Exception {
        Fakes.Collection fc = new Fakes.Collection(CRS.decode("EPSG:4326", true));
        fc.add(Fakes.point(1, 2));
        fc.add(Fakes.GF.createLineString(new org.locationtech.jts.geom.Coordinate[] {
            new org.locationtech.jts.geom.Coordinate(0, 0), new org.locationtech.jts.geom.Coordinate(1, 1)}));
        ProcessException e = assertThrows(ProcessException.class, () -> FeatureTables.of("points", fc));
        assertEquals("points", e.locator());
        assertTrue(e.getMessage().contains("feature 2") && e.getMessage().contains("LineString"), e.getMessage());
        assertTrue(fc.closed, "the iterator is closed on failure too");
    }
}
