package dev.bayesnf.service.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bayesnf.core.compute.JavaBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoTIFF writing and reading: exact round trips, atomic writes, and what gdalinfo sees. */
final class GeoTiffTest {
    @TempDir
    Path dir;

    /** A product whose value at (band, cell) is band * 1000 + cell, with NaN at every 7th cell. */
    static RasterProduct synthetic(Grid grid, List<String> times, double[] levels) {
        int n = Math.max(1, times.size()) * (1 + levels.length);
        float[][] bands = new float[n][(int) grid.cells()];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < bands[b].length; c++) {
                bands[b][c] = c % 7 == 3 ? Float.NaN : b * 1000 + c * 0.25f;
            }
        }
        return new RasterProduct(grid, times, levels, "wind", bands);
    }

    private static void assertSameProduct(RasterProduct expected, RasterProduct actual) {
        assertEquals(expected.grid(), actual.grid());
        assertEquals(expected.times(), actual.times());
        assertArrayEquals(expected.levels(), actual.levels());
        assertEquals(expected.target(), actual.target());
        assertEquals(expected.bands().length, actual.bands().length);
        for (int b = 0; b < expected.bands().length; b++) {
            assertArrayEquals(expected.bands()[b], actual.bands()[b], "band " + b);
        }
    }

    @Test
    void testRoundTripInStrips() throws IOException {
        RasterProduct p = synthetic(new Grid("EPSG:4326", -10.5, 51.25, -5.75, 55.5, 7, 5),
                List.of("1979-01-01", "1979-01-02"), new double[] {0.025, 0.975});
        Path f = dir.resolve("strips.tif");
        GeoTiff.write(p, f);
        assertSameProduct(p, GeoTiff.read(f));
    }

    @Test
    void testRoundTripInTilesWithPartialEdgeTiles() throws IOException {
        RasterProduct p = synthetic(new Grid("EPSG:32633", 300_000.5, 5_000_000, 360_000.25, 5_050_000, 600, 530),
                List.of("12.5"), new double[] {0.5});
        Path f = dir.resolve("tiles.tif");
        GeoTiff.write(p, f);
        assertSameProduct(p, GeoTiff.read(f));
        assertTrue(Files.size(f) < 4L * p.grid().cells() * 2, "DEFLATE compresses: " + Files.size(f));
    }

    @Test
    void testRoundTripWithoutTimeAndQuantiles() throws IOException {
        RasterProduct p = synthetic(new Grid("CRS:84", 0, 0, 1, 1, 3, 2), List.of(), new double[0]);
        Path f = dir.resolve("one.tif");
        GeoTiff.write(p, f);
        assertSameProduct(p, GeoTiff.read(f));
    }

    @Test
    void testStreamedBytesEqualTheFile() throws IOException {
        RasterProduct p = synthetic(new Grid("EPSG:3857", -1e6, 6e6, -5e5, 7e6, 9, 4), List.of("a"), new double[] {0.5});
        Path f = dir.resolve("file.tif");
        GeoTiff.write(p, f, Map.of("model", "m1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GeoTiff.write(p, out, Map.of("model", "m1"));
        assertArrayEquals(Files.readAllBytes(f), out.toByteArray());
    }

    @Test
    void testExtraMetadataRoundTrips() throws IOException {
        RasterProduct p = synthetic(new Grid("EPSG:4326", 0, 0, 1, 1, 2, 2), List.of(), new double[0]);
        Path f = dir.resolve("md.tif");
        GeoTiff.write(p, f, Map.of("provenance.seed", "7", "BAYESNF_KIND", "interpolate <&> \"x\""));
        Map<String, String> md = GeoTiff.metadata(f);
        assertEquals("7", md.get("provenance.seed"));
        assertEquals("interpolate <&> \"x\"", md.get("BAYESNF_KIND"));
        assertEquals("wind", md.get(GeoTiff.TARGET));
        assertThrows(IllegalArgumentException.class, () -> GeoTiff.write(p, f, Map.of(GeoTiff.TARGET, "x")));
        assertThrows(IllegalArgumentException.class, () -> GeoTiff.write(p, f, Map.of("bad name", "x")));
    }

    @Test
    void testWritesAreAtomic() throws IOException {
        RasterProduct a = synthetic(new Grid("EPSG:4326", 0, 0, 1, 1, 2, 2), List.of(), new double[0]);
        RasterProduct b = synthetic(new Grid("EPSG:4326", 0, 0, 2, 2, 4, 4), List.of(), new double[0]);
        Path f = dir.resolve("out.tif");
        GeoTiff.write(a, f);
        GeoTiff.write(b, f);
        assertEquals(b.grid(), GeoTiff.read(f).grid());
        assertThrows(IOException.class, () -> GeoTiff.write(a, dir.resolve("missing").resolve("x.tif")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("out.tif"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void testNotOurFilesAreRefusedByName() throws IOException {
        Path f = dir.resolve("text.tif");
        Files.writeString(f, "hello, not a tiff");
        IOException e = assertThrows(IOException.class, () -> GeoTiff.read(f));
        assertTrue(e.getMessage().contains("text.tif") && e.getMessage().contains("not a TIFF"), e.getMessage());
    }

    // ------------------------------------------------------------------------------- gdalinfo

    private static void assertGeoTransform(JsonNode info, Grid g) {
        JsonNode t = info.path("geoTransform");
        assertEquals(6, t.size(), info.toString());
        assertEquals(g.minX(), t.get(0).asDouble(), 1e-9 * Math.max(1, Math.abs(g.minX())));
        assertEquals(g.cellWidth(), t.get(1).asDouble(), 1e-12 * Math.max(1, g.cellWidth()));
        assertEquals(0.0, t.get(2).asDouble());
        assertEquals(g.maxY(), t.get(3).asDouble(), 1e-9 * Math.max(1, Math.abs(g.maxY())));
        assertEquals(0.0, t.get(4).asDouble());
        assertEquals(-g.cellHeight(), t.get(5).asDouble(), 1e-12 * Math.max(1, g.cellHeight()));
        JsonNode ul = info.path("cornerCoordinates").path("upperLeft");
        JsonNode lr = info.path("cornerCoordinates").path("lowerRight");
        assertEquals(g.minX(), ul.get(0).asDouble(), 1e-6 * Math.max(1, Math.abs(g.minX())));
        assertEquals(g.maxY(), ul.get(1).asDouble(), 1e-6 * Math.max(1, Math.abs(g.maxY())));
        assertEquals(g.maxX(), lr.get(0).asDouble(), 1e-6 * Math.max(1, Math.abs(g.maxX())));
        assertEquals(g.minY(), lr.get(1).asDouble(), 1e-6 * Math.max(1, Math.abs(g.minY())));
        assertEquals("Area", info.path("metadata").path("").path("AREA_OR_POINT").asText());
    }

    /** Checks gdalinfo's bands: Float32, NoData NaN, descriptions, and min/max against the product. */
    static void assertBands(JsonNode info, RasterProduct p) {
        JsonNode bands = info.path("bands");
        assertEquals(p.bands().length, bands.size());
        List<String> descriptions = p.bandDescriptions();
        for (int b = 0; b < bands.size(); b++) {
            JsonNode band = bands.get(b);
            assertEquals("Float32", band.path("type").asText());
            assertEquals("NaN", band.path("noDataValue").asText(), band.toString());
            assertEquals(descriptions.get(b), band.path("description").asText());
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : p.bands()[b]) {
                if (!Float.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            // "minimum"/"maximum" are rounded to 3 decimals; the STATISTICS_* items are exact
            JsonNode stats = band.path("metadata").path("");
            assertEquals(min, stats.path("STATISTICS_MINIMUM").asDouble(Double.NaN), 1e-6 * (1 + Math.abs(min)), "band " + b);
            assertEquals(max, stats.path("STATISTICS_MAXIMUM").asDouble(Double.NaN), 1e-6 * (1 + Math.abs(max)), "band " + b);
            assertEquals(min, band.path("minimum").asDouble(), 1e-3 + 1e-6 * Math.abs(min), "band " + b);
            assertEquals(max, band.path("maximum").asDouble(), 1e-3 + 1e-6 * Math.abs(max), "band " + b);
        }
        JsonNode structure = info.path("metadata").path("IMAGE_STRUCTURE");
        assertEquals("DEFLATE", structure.path("COMPRESSION").asText());
        if (p.bands().length > 1) {
            assertEquals("BAND", structure.path("INTERLEAVE").asText());
        }
    }

    @Test
    void testGdalinfoReadsAPredictedLonLatForecast() throws Exception {
        Grid grid = new Grid("EPSG:4326", -10.5, 51.5, -6, 55.5, 9, 8);
        RasterProduct p = new RasterPredictor(new JavaBackend(), 1).predict(RasterFixtures.calendar(),
                new RasterRequest(RasterKind.FORECAST, grid, List.of("2020-02-21", "2020-02-28"),
                        new double[] {0.025, 0.5, 0.975}), null, null);
        Path f = dir.resolve("forecast.tif");
        GeoTiff.write(p, f);
        JsonNode info = Gdal.info(f);
        assertEquals(4326, Gdal.epsg(info));
        assertEquals(List.of(9, 8), List.of(info.path("size").get(0).asInt(), info.path("size").get(1).asInt()));
        assertGeoTransform(info, grid);
        assertBands(info, p);
        assertEquals("wind mean @ 2020-02-21", info.path("bands").get(0).path("description").asText());
        assertEquals("2020-02-28", info.path("bands").get(7).path("metadata").path("").path("TIME").asText());
        assertEquals("0.975", info.path("bands").get(7).path("metadata").path("").path("QUANTILE").asText());
        assertEquals("2020-02-21,2020-02-28", info.path("metadata").path("").path(GeoTiff.TIMES).asText());
    }

    @Test
    void testGdalinfoReadsWebMercatorAndUtmTiles() throws Exception {
        for (String crs : List.of("EPSG:3857", "EPSG:32633")) {
            Grid grid = new Grid(crs, 300_000, 5_000_000, 420_000, 5_060_000, 700, 400);
            RasterProduct p = synthetic(grid, List.of(), new double[] {0.5});
            Path f = dir.resolve(crs.replace(':', '_') + ".tif");
            GeoTiff.write(p, f);
            JsonNode info = Gdal.info(f);
            assertEquals(Integer.parseInt(crs.substring(5)), Gdal.epsg(info));
            assertGeoTransform(info, grid);
            assertBands(info, p);
            assertEquals("[256,256]", info.path("bands").get(0).path("block").toString());
        }
    }

    @Test
    void testCrs84IsWrittenAsEpsg4326InLonLatOrder() throws Exception {
        Grid grid = new Grid("CRS:84", -10, 50, -5, 56, 5, 6);
        RasterProduct p = synthetic(grid, List.of(), new double[0]);
        Path f = dir.resolve("crs84.tif");
        GeoTiff.write(p, f);
        JsonNode info = Gdal.info(f);
        assertEquals(4326, Gdal.epsg(info));
        assertGeoTransform(info, grid);
        assertFalse(info.path("bands").get(0).has("colorInterpretation")
                && info.path("bands").get(0).path("colorInterpretation").asText().equals("Red"));
        assertEquals(grid, GeoTiff.read(f).grid());
    }
}
