package dev.bayesnf.service.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrsTest {
    @Test
    void spellingsNormalize() {
        assertEquals("EPSG:4326", Crs.normalize("urn:ogc:def:crs:EPSG::4326"));
        assertEquals("EPSG:4326", Crs.normalize("http://www.opengis.net/def/crs/EPSG/0/4326"));
        assertEquals("CRS:84", Crs.normalize("http://www.opengis.net/def/crs/OGC/1.3/CRS84"));
        assertEquals("CRS:84", Crs.normalize("crs:84"));
        assertEquals("EPSG:3857", Crs.normalize("epsg:3857"));
    }

    /** A three-dimensional CRS is refused by name (a transform of (x, y) pairs read past its arrays). */
    @Test
    void threeDimensionalCrsIsRefused() {
        UnknownCrsException e = assertThrows(UnknownCrsException.class, () -> Crs.parse("EPSG:4979"));
        assertTrue(e.getMessage().contains("3 dimensions") && e.getMessage().contains("EPSG:4979"), e.getMessage());
        assertThrows(UnknownCrsException.class, () -> Crs.transform("EPSG:4979", "EPSG:3857", new double[2], 1));
    }

    @Test
    void axisOrderOfTheRequestForms() {
        assertTrue(Crs.northingFirst("EPSG:4326"));
        assertFalse(Crs.northingFirst("CRS:84"));
        assertFalse(Crs.northingFirst("EPSG:3857"));
        assertFalse(Crs.northingFirst("EPSG:32629"));
    }

    /** The built-in systems against the EPSG dataset's own definitions. */
    @Test
    void builtInSystemsAgreeWithTheEpsgDataset() throws Exception {
        for (String code : new String[] {"EPSG:3857", "EPSG:3395", "EPSG:32629", "EPSG:32733", "EPSG:25832", "EPSG:4258"}) {
            org.opengis.referencing.crs.CoordinateReferenceSystem epsg = org.apache.sis.referencing.crs.AbstractCRS
                    .castOrCopy(org.apache.sis.referencing.CRS.forCode(code))
                    .forConvention(org.apache.sis.referencing.cs.AxesConvention.RIGHT_HANDED);
            double[] lonLat = code.equals("EPSG:32733") ? new double[] {14.5, -12.0} : new double[] {8.3, 51.2};
            double[] ours = lonLat.clone();
            Crs.transform("CRS:84", code, ours, 1);
            double[] theirs = lonLat.clone();
            org.apache.sis.referencing.CRS.findOperation(org.apache.sis.referencing.CommonCRS.WGS84.normalizedGeographic(),
                    epsg, null).getMathTransform().transform(theirs, 0, theirs, 0, 1);
            double tol = code.equals("EPSG:4258") ? 1e-5 : 0.01;
            assertEquals(theirs[0], ours[0], tol, code);
            assertEquals(theirs[1], ours[1], tol, code);
        }
    }

    @Test
    void lonLatToWebMercatorAndUtm() {
        double[] p = {-8.0, 53.0};
        Crs.transform("EPSG:4326", "EPSG:3857", p, 1);
        assertEquals(-890555.93, p[0], 0.01);
        assertEquals(6982997.92, p[1], 0.01);
        Crs.transform("EPSG:3857", "CRS:84", p, 1);
        assertEquals(-8.0, p[0], 1e-9);
        assertEquals(53.0, p[1], 1e-9);
        double[] u = {-9.0, 0.0};
        Crs.transform("EPSG:4326", "EPSG:32629", u, 1);
        assertEquals(500000.0, u[0], 1e-3);
        assertEquals(0.0, u[1], 1e-3);
    }

    /** National grids come from the EPSG dataset: meuse's Dutch RD New, the British National Grid. */
    @Test
    void nationalGridsFromTheEpsgDataset() {
        double[] p = {181072.0, 333611.0};
        Crs.transform("EPSG:28992", "CRS:84", p, 1);
        assertEquals(5.7584, p[0], 0.001);
        assertEquals(50.9916, p[1], 0.001);
        Crs.transform("CRS:84", "EPSG:28992", p, 1);
        assertEquals(181072.0, p[0], 0.01);
        assertEquals(333611.0, p[1], 0.01);
        assertFalse(Crs.northingFirst("EPSG:28992"));
        // the Amersfoort datum shifted to WGS 84 (EPSG's transformation), not only the projection undone
        double[] origin = {155000.0, 463000.0};
        Crs.transform("EPSG:28992", "EPSG:4326", origin, 1);
        assertEquals(5.387206, origin[0], 2e-5);
        assertEquals(52.155174, origin[1], 2e-5);
        double[] b = {-0.1276, 51.5072};
        Crs.transform("CRS:84", "EPSG:27700", b, 1);
        assertEquals(530000.0, b[0], 500.0);
        assertEquals(180000.0, b[1], 500.0);
    }

    @Test
    void unknownCodesAreRefusedByName() {
        UnknownCrsException e = assertThrows(UnknownCrsException.class, () -> Crs.parse("EPSG:99999"));
        assertTrue(e.getMessage().contains("EPSG:99999"), e.getMessage());
        assertThrows(UnknownCrsException.class, () -> Crs.parse("bogus"));
    }

    /** Coordinates that cannot be in the CRS are refused before training, with the columns named. */
    @Test
    void extentsOutsideTheCrsAreRefused() {
        Crs.checkExtent("EPSG:28992", "x, y", 178605, 329714, 181390, 333611);
        Crs.checkExtent("EPSG:4326", "longitude, latitude", -10.2, 51.4, -5.9, 55.4);
        UnknownCrsException e = assertThrows(UnknownCrsException.class,
                () -> Crs.checkExtent("EPSG:4326", "x, y", 178605, 329714, 181390, 333611));
        assertTrue(e.getMessage().contains("x, y") && e.getMessage().contains("-90..90"), e.getMessage());
        e = assertThrows(UnknownCrsException.class, () -> Crs.checkExtent("EPSG:28992", "x, y", -9.9, 51.5, -6.1, 55.3));
        assertTrue(e.getMessage().contains("EPSG:28992") && e.getMessage().contains("area where"), e.getMessage());
        // built-in systems have their area too: Irish longitude/latitude given as UTM zone 29
        e = assertThrows(UnknownCrsException.class, () -> Crs.checkExtent("EPSG:32629", "x, y", -10.2, 51.4, -5.9, 55.4));
        assertTrue(e.getMessage().contains("EPSG:32629"), e.getMessage());
        Crs.checkExtent("EPSG:32629", "x, y", 418000, 5700000, 700000, 6140000);
        // an area across the antimeridian: New Zealand Transverse Mercator around Wellington
        Crs.checkExtent("EPSG:2193", "x, y", 1740000, 5420000, 1760000, 5440000);
    }
}
