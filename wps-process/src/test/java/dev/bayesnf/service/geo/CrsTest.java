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

    @Test
    void unknownCodesAreRefusedByName() {
        UnknownCrsException e = assertThrows(UnknownCrsException.class, () -> Crs.parse("EPSG:27700"));
        assertTrue(e.getMessage().contains("EPSG:27700"), e.getMessage());
        assertThrows(UnknownCrsException.class, () -> Crs.parse("bogus"));
    }
}
