package dev.bayesnf.service.wms;

import static dev.bayesnf.service.wms.WmsFixtures.GRID;
import static dev.bayesnf.service.wms.WmsFixtures.IRELAND;
import static dev.bayesnf.service.wms.WmsFixtures.UTM;
import static dev.bayesnf.service.wms.WmsFixtures.UTM_GRID;
import static dev.bayesnf.service.wms.WmsFixtures.colour;
import static dev.bayesnf.service.wms.WmsFixtures.getMap;
import static dev.bayesnf.service.wms.WmsFixtures.mean;
import static dev.bayesnf.service.wms.WmsFixtures.png;
import static dev.bayesnf.service.wms.WmsFixtures.quantile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.raster.Grid;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WmsGetMapTest {
    private static final double MEAN_MIN = 0.5;
    private static final double MEAN_MAX = 183.5;
    private final WmsService wms = WmsFixtures.service();

    private static String hex(int argb) {
        return String.format("%08X", argb);
    }

    @Test
    void testOnePixelPerCellShowsTheMeanRamp() {
        BufferedImage img = png(wms.handle(getMap()));
        assertEquals(60, img.getWidth());
        assertEquals(50, img.getHeight());
        for (int j = 0; j < 50; j++) {
            for (int i = 0; i < 60; i++) {
                int expected = i == 0 && j == 0 ? 0
                        : 0xFF000000 | colour(ColorRamp.VIRIDIS, mean(0, i, j), MEAN_MIN, MEAN_MAX);
                int actual = img.getRGB(i, j);
                if (expected == 0) {
                    assertEquals(0, actual >>> 24, "NoData cell (0,0) is transparent");
                } else {
                    assertEquals(hex(expected), hex(actual), "pixel " + i + "," + j);
                }
            }
        }
    }

    @Test
    void testEpsg4326LatLonAndCrs84LonLatGiveTheSameImage() {
        HttpReply a = wms.handle(getMap("CRS", "EPSG:4326", "BBOX", "51.5,-10.5,55.5,-5.5", "WIDTH", "256",
                "HEIGHT", "200"));
        HttpReply b = wms.handle(getMap("CRS", "CRS:84", "BBOX", "-10.5,51.5,-5.5,55.5", "WIDTH", "256",
                "HEIGHT", "200"));
        HttpReply c = wms.handle(getMap("CRS", "urn:ogc:def:crs:EPSG::4326", "BBOX", "51.5,-10.5,55.5,-5.5",
                "WIDTH", "256", "HEIGHT", "200"));
        png(a);
        assertArrayEquals(a.body(), b.body());
        assertArrayEquals(a.body(), c.body());
        // the same numbers read in the wrong order show another place
        HttpReply swapped = wms.handle(getMap("CRS", "EPSG:4326", "BBOX", "-10.5,51.5,-5.5,55.5", "WIDTH", "256",
                "HEIGHT", "200"));
        assertFalse(Arrays.equals(a.body(), swapped.body()));
    }

    @Test
    void testWebMercatorShowsEachCellInItsPlace() {
        double[] corners = {-12, 50, -4, 57};
        Crs.transform("CRS:84", "EPSG:3857", corners, 2);
        int w = 256;
        int h = 256;
        BufferedImage img = png(wms.handle(getMap("CRS", "EPSG:3857", "BBOX", corners[0] + "," + corners[1] + ","
                + corners[2] + "," + corners[3], "WIDTH", "" + w, "HEIGHT", "" + h)));
        int checked = 0;
        int outside = 0;
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                double[] p = {corners[0] + (i + 0.5) * (corners[2] - corners[0]) / w,
                        corners[3] - (j + 0.5) * (corners[3] - corners[1]) / h};
                Crs.transform("EPSG:3857", "CRS:84", p, 1);
                double fc = (p[0] - GRID.minX()) / GRID.cellWidth();
                double fr = (GRID.maxY() - p[1]) / GRID.cellHeight();
                if (nearEdge(fc) || nearEdge(fr)) {
                    continue; // a pixel centre on a cell boundary may go either way
                }
                int c = (int) Math.floor(fc);
                int r = (int) Math.floor(fr);
                int actual = img.getRGB(i, j);
                if (c < 0 || r < 0 || c >= GRID.width() || r >= GRID.height() || (c == 0 && r == 0)) {
                    assertEquals(0, actual >>> 24, "outside the data at pixel " + i + "," + j);
                    outside++;
                } else {
                    int expected = 0xFF000000 | colour(ColorRamp.VIRIDIS, mean(0, c, r), MEAN_MIN, MEAN_MAX);
                    assertEquals(hex(expected), hex(actual), "pixel " + i + "," + j + " = cell " + c + "," + r);
                }
                checked++;
            }
        }
        assertTrue(checked > 60_000 && outside > 5_000, checked + " checked, " + outside + " outside");
    }

    private static boolean nearEdge(double f) {
        return Math.abs(f - Math.rint(f)) < 1e-6;
    }

    @Test
    void testOutsideTheGridIsTransparentOrBackground() {
        BufferedImage t = png(wms.handle(getMap("BBOX", "50,-12,57,-4", "WIDTH", "80", "HEIGHT", "70")));
        assertEquals(0, t.getRGB(0, 0) >>> 24);
        assertEquals(0, t.getRGB(79, 69) >>> 24);
        assertEquals(0xFF, t.getRGB(40, 35) >>> 24);
        BufferedImage o = png(wms.handle(getMap("BBOX", "50,-12,57,-4", "WIDTH", "80", "HEIGHT", "70",
                "TRANSPARENT", "FALSE", "BGCOLOR", "0x336699")));
        assertEquals("FF336699", hex(o.getRGB(0, 0)));
        assertEquals("FF336699", hex(o.getRGB(10, 10)), "the NoData cell (0,0) takes BGCOLOR");
        assertEquals(hex(t.getRGB(40, 35)), hex(o.getRGB(40, 35)));
        BufferedImage white = png(wms.handle(getMap("BBOX", "50,-12,57,-4", "WIDTH", "80", "HEIGHT", "70",
                "TRANSPARENT", null)));
        assertEquals("FFFFFFFF", hex(white.getRGB(0, 0)), "default: opaque, BGCOLOR 0xFFFFFF");
    }

    @Test
    void testTimeSelectsTheStep() {
        HttpReply dflt = wms.handle(getMap());
        HttpReply first = wms.handle(getMap("TIME", "2024-01-01T00:00:00Z"));
        HttpReply second = wms.handle(getMap("TIME", "2024-01-02T00:00:00Z"));
        HttpReply secondAsDate = wms.handle(getMap("TIME", "2024-01-02"));
        HttpReply secondMillis = wms.handle(getMap("TIME", "2024-01-02T00:00:00.000Z"));
        HttpReply secondOffset = wms.handle(getMap("TIME", "2024-01-02T01:00:00+01:00"));
        assertArrayEquals(dflt.body(), first.body());
        assertFalse(Arrays.equals(first.body(), second.body()));
        assertArrayEquals(second.body(), secondAsDate.body());
        assertArrayEquals(second.body(), secondMillis.body());
        assertArrayEquals(second.body(), secondOffset.body());
        // a range (as QGIS's temporal controller sends) draws its first step
        assertArrayEquals(second.body(), wms.handle(getMap("TIME", "2024-01-01T12:00:00Z/2024-01-03T00:00:00Z")).body());
        assertArrayEquals(first.body(), wms.handle(getMap("TIME", "2023-12-01/2024-01-02/P1D")).body());
        BufferedImage img = png(second);
        assertEquals(hex(0xFF000000 | colour(ColorRamp.VIRIDIS, mean(1, 30, 20), MEAN_MIN, MEAN_MAX)),
                hex(img.getRGB(30, 20)));
    }

    @Test
    void testUncertaintyStyle() {
        LayerStats stats = new LayerStats(WmsFixtures.ireland());
        assertEquals(4.0, stats.widthMin, 1e-5);
        assertEquals(29.9, stats.widthMax, 1e-4);
        BufferedImage img = png(wms.handle(getMap("STYLES", "uncertainty", "TIME", "2024-01-02")));
        for (int[] p : new int[][] {{1, 0}, {30, 20}, {59, 49}, {0, 49}}) {
            float width = quantile(1, p[0], p[1], 2) - quantile(1, p[0], p[1], 0);
            assertEquals(hex(0xFF000000 | colour(ColorRamp.YELLOW_RED, width, stats.widthMin, stats.widthMax)),
                    hex(img.getRGB(p[0], p[1])), Arrays.toString(p));
        }
    }

    @Test
    void testLayersAreDrawnInOrderAcrossCrs() {
        // the UTM layer (drawn second) covers part of the lon/lat one; its grid is not separable in lon/lat
        int w = 200;
        int h = 160;
        BufferedImage img = png(wms.handle(getMap("LAYERS", IRELAND + "," + UTM, "STYLES", ",", "CRS", "CRS:84",
                "BBOX", "-11,51,-5,56", "WIDTH", "" + w, "HEIGHT", "" + h)));
        int utmPixels = 0;
        int lonLatPixels = 0;
        for (int j = 0; j < h; j += 3) {
            for (int i = 0; i < w; i += 3) {
                double lon = -11 + (i + 0.5) * 6.0 / w;
                double lat = 56 - (j + 0.5) * 5.0 / h;
                double[] u = {lon, lat};
                Crs.transform("CRS:84", "EPSG:32629", u, 1);
                double fc = (u[0] - UTM_GRID.minX()) / UTM_GRID.cellWidth();
                double fr = (UTM_GRID.maxY() - u[1]) / UTM_GRID.cellHeight();
                double gc = (lon - GRID.minX()) / GRID.cellWidth();
                double gr = (GRID.maxY() - lat) / GRID.cellHeight();
                if (nearEdge(fc) || nearEdge(fr) || nearEdge(gc) || nearEdge(gr)) {
                    continue;
                }
                int c = (int) Math.floor(fc);
                int r = (int) Math.floor(fr);
                int expected;
                if (c >= 0 && r >= 0 && c < 40 && r < 40 && !(c == 0 && r == 0)) {
                    expected = colour(ColorRamp.VIRIDIS, mean(0, c, r), 0.5, 158.5); // UTM layer's own range
                    utmPixels++;
                } else if ((int) gc == 0 && (int) gr == 0) {
                    assertEquals(0, img.getRGB(i, j) >>> 24, "NoData in both layers");
                    continue;
                } else {
                    expected = colour(ColorRamp.VIRIDIS, mean(0, (int) gc, (int) gr), MEAN_MIN, MEAN_MAX);
                    lonLatPixels++;
                }
                assertEquals(hex(0xFF000000 | expected), hex(img.getRGB(i, j)), "pixel " + i + "," + j);
            }
        }
        assertTrue(utmPixels > 500 && lonLatPixels > 500, utmPixels + " / " + lonLatPixels);
    }

    @Test
    void testTwoRampsShareOnePalette() {
        BufferedImage img = png(wms.handle(getMap("LAYERS", IRELAND + "," + UTM, "STYLES", "mean,uncertainty",
                "CRS", "CRS:84", "BBOX", "-11,51,-5,56", "WIDTH", "60", "HEIGHT", "50")));
        // a corner far from the UTM grid keeps the mean ramp, with 127 levels instead of 255
        int k = (int) Math.round((mean(0, 59, 49) - MEAN_MIN) / (MEAN_MAX - MEAN_MIN) * 126);
        assertEquals(hex(0xFF000000 | ColorRamp.VIRIDIS.table(127)[k]), hex(img.getRGB(59, 49)));
    }

    @Test
    void testSeparableTransformsAreDetected() {
        MapRenderer renderer = new MapRenderer();
        double[] c = {-12, 50, -4, 57};
        Crs.transform("CRS:84", "EPSG:3857", c, 2);
        MapRequest merc = new MapRequest(List.of(), "EPSG:3857", c[0], c[1], c[2], c[3], 256, 256, true, 0);
        MapRenderer.PixelMap m = renderer.mapping(merc, GRID);
        assertNull(m.cell(), "lon/lat <-> Web Mercator is separable");
        assertNotNull(m.column());
        MapRenderer.PixelMap u = renderer.mapping(merc, UTM_GRID);
        assertNotNull(u.cell(), "Web Mercator -> UTM is not separable");
        assertTrue(u == renderer.mapping(merc, UTM_GRID), "the full mapping is cached");
        Grid same = new Grid("EPSG:3857", c[0], c[1], c[2], c[3], 10, 10);
        assertNull(renderer.mapping(merc, same).cell());
    }

    @Test
    void testConcurrentRequestsGiveTheSameImages() throws Exception {
        double[] c = {-12, 50, -4, 57};
        Crs.transform("CRS:84", "EPSG:3857", c, 2);
        List<dev.bayesnf.service.http.Kvp> requests = List.of(getMap(), getMap("TIME", "2024-01-02"),
                getMap("STYLES", "uncertainty"), getMap("LAYERS", UTM, "CRS", "EPSG:3857", "BBOX",
                        c[0] + "," + c[1] + "," + c[2] + "," + c[3], "WIDTH", "128", "HEIGHT", "128"));
        List<byte[]> expected = new java.util.ArrayList<>();
        for (dev.bayesnf.service.http.Kvp k : requests) {
            expected.add(wms.handle(k).body());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> fs = new java.util.ArrayList<>();
            for (int n = 0; n < 200; n++) {
                int k = n % requests.size();
                fs.add(pool.submit(() -> Arrays.equals(expected.get(k), wms.handle(requests.get(k)).body())));
            }
            for (java.util.concurrent.Future<Boolean> f : fs) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void testPng8FormatAliasAndLargeSizes() {
        png(wms.handle(getMap("FORMAT", "image/png; mode=8bit")));
        BufferedImage big = png(wms.handle(getMap("WIDTH", "4096", "HEIGHT", "16")));
        assertEquals(4096, big.getWidth());
    }

    @Test
    void testBlankAndInImageExceptions() {
        BufferedImage blank = png(wms.handle(getMap("LAYERS", "nope", "EXCEPTIONS", "BLANK", "WIDTH", "32",
                "HEIGHT", "16")));
        assertEquals(32, blank.getWidth());
        assertEquals(0, blank.getRGB(5, 5) >>> 24);
        BufferedImage inImage = png(wms.handle(getMap("LAYERS", "nope", "EXCEPTIONS", "INIMAGE", "WIDTH", "300",
                "HEIGHT", "100", "TRANSPARENT", "FALSE")));
        boolean ink = false;
        for (int y = 0; y < 100 && !ink; y++) {
            for (int x = 0; x < 300 && !ink; x++) {
                ink = (inImage.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(ink, "the message is written into the image");
        // without a usable size the error comes back as XML
        HttpReply xml = wms.handle(getMap("LAYERS", "nope", "EXCEPTIONS", "INIMAGE", "WIDTH", "x"));
        assertEquals("text/xml", xml.contentType());
    }
}
