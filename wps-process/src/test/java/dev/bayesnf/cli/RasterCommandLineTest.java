package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bayesnf.service.raster.Gdal;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterProduct;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bayesnf forecast} and {@code bayesnf interpolate} end to end on the Irish wind data, and their bad input. */
final class RasterCommandLineTest {
    @TempDir
    static Path dir;

    static Path model;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BayesNFCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** December 1978 of test-data/wind.train.csv: 12 stations x 31 days. */
    static Path windDecember1978(String header, String extraValue) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "test-data", "wind.train.csv"));
        List<String> out = new ArrayList<>();
        out.add(header);
        for (String l : lines) {
            if (l.startsWith("1978-12-")) {
                out.add(extraValue == null ? l : l + "," + extraValue);
            }
        }
        Path p = Files.createTempFile(dir, "wind", ".csv");
        Files.write(p, out);
        return p;
    }

    static Path fit(Path data, String features, String name) {
        return fit(data, features, features, name);
    }

    static Path fit(Path data, String features, String standardize, String name) {
        Path m = dir.resolve(name);
        Run r = run("fit", "--data", data.toString(), "--target", "wind", "--time", "datetime", "--freq", "D",
                "--features", features, "--standardize", standardize, "--width", "8", "--ensemble", "2", "--epochs", "3",
                "--threads", "1", "--quiet", "--output", m.toString());
        assertEquals(0, r.code(), r.err());
        return m;
    }

    @BeforeAll
    static void fitTinyWindModel() throws IOException {
        model = fit(windDecember1978("datetime,station,latitude,longitude,wind", null), "latitude,longitude", "wind.bnf");
    }

    private static List<String> raster(String kind, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(kind, "--model", model.toString(), "--threads", "1", "--quiet",
                "--output", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void testForecastGeoTiffSeenByGdalinfo() throws Exception {
        Path out = dir.resolve("forecast.tif");
        Run r = run(raster("forecast", out, "--bbox", "-10.5,51.4,-5.9,55.4", "--crs", "EPSG:4326", "--width", "23",
                "--height", "20", "--time", "1979-01-01", "--time", "1979-01-03T00:00:00Z", "--quantiles", "0.05,0.95")
                .toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        RasterProduct p = GeoTiff.read(out);
        assertEquals(new Grid("EPSG:4326", -10.5, 51.4, -5.9, 55.4, 23, 20), p.grid());
        assertEquals(List.of("1979-01-01", "1979-01-03"), p.times());
        assertEquals("forecast", GeoTiff.metadata(out).get("BAYESNF_KIND"));
        JsonNode info = Gdal.info(out);
        assertEquals(4326, Gdal.epsg(info));
        JsonNode t = info.path("geoTransform");
        assertEquals(-10.5, t.get(0).asDouble(), 1e-12);
        assertEquals(0.2, t.get(1).asDouble(), 1e-12);
        assertEquals(55.4, t.get(3).asDouble(), 1e-12);
        assertEquals(-0.2, t.get(5).asDouble(), 1e-12);
        assertEquals(6, info.path("bands").size());
        List<String> descriptions = new ArrayList<>();
        for (JsonNode b : info.path("bands")) {
            descriptions.add(b.path("description").asText());
            assertEquals("NaN", b.path("noDataValue").asText());
        }
        assertEquals(List.of("wind mean @ 1979-01-01", "wind q0.05 @ 1979-01-01", "wind q0.95 @ 1979-01-01",
                "wind mean @ 1979-01-03", "wind q0.05 @ 1979-01-03", "wind q0.95 @ 1979-01-03"), descriptions);
        for (int b = 0; b < 6; b++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : p.bands()[b]) {
                assertFalse(Float.isNaN(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            JsonNode stats = info.path("bands").get(b).path("metadata").path("");
            assertEquals(min, stats.path("STATISTICS_MINIMUM").asDouble(), 1e-5 * (1 + Math.abs(min)));
            assertEquals(max, stats.path("STATISTICS_MAXIMUM").asDouble(), 1e-5 * (1 + Math.abs(max)));
        }
    }

    @Test
    void testDefaultsAreTheTrainingExtentAndTheNextDay() throws IOException {
        Path out = dir.resolve("default.tif");
        Run r = run(raster("forecast", out, "--width", "4", "--height", "5").toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        RasterProduct p = GeoTiff.read(out);
        assertEquals(List.of("1979-01-01"), p.times());
        assertEquals("EPSG:4326", p.grid().crs());
        assertEquals(-10.25, p.grid().minX(), 1e-9);
        assertEquals(55.36667, p.grid().maxY(), 1e-9);
        assertEquals(4, p.bands().length);
        Path interp = dir.resolve("interp.tif");
        r = run(raster("interpolate", interp, "--width", "4", "--height", "5", "--crs", "EPSG:3857", "--bbox",
                "-1150000,6650000,-700000,7250000").toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("1978-12-31"), GeoTiff.read(interp).times());
        assertEquals("EPSG:3857", GeoTiff.read(interp).grid().crs());
    }

    @Test
    void testHelpDocumentsTheBoxDefault() {
        assertTrue(run("--help").out().contains("forecast"));
        String help = run("forecast", "--help").out();
        assertTrue(help.contains("--bbox") && help.contains("training extent"), help);
        assertTrue(run("interpolate", "--help").out().contains("--time"));
    }

    private static void assertBadInput(Path out, Run r, String... fragments) throws IOException {
        assertEquals(2, r.code(), r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertFalse(line.contains("Exception"), "no class names: " + line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' in: " + line);
        }
        assertFalse(Files.exists(out), "no output left behind");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> tmp = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), tmp);
        }
    }

    private static void assertBad(String kind, List<String> fragments, String... options) throws IOException {
        Path out = dir.resolve("bad.tif");
        List<String> a = raster(kind, out, options);
        if (!a.contains("--width")) {
            a.addAll(List.of("--width", "4", "--height", "4"));
        }
        assertBadInput(out, run(a.toArray(new String[0])), fragments.toArray(new String[0]));
    }

    @Test
    void testBadGrids() throws IOException {
        assertBad("forecast", List.of("EPSG:99999"), "--crs", "EPSG:99999", "--bbox", "0,0,700000,1300000");
        assertBad("forecast", List.of("empty"), "--bbox", "-8,52,-8,53");
        assertBad("forecast", List.of("--bbox", "four numbers"), "--bbox", "-8,52,-7");
        assertBad("forecast", List.of("'east'"), "--bbox", "east,52,-7,53");
        assertBad("forecast", List.of("--width", "0 x 4"), "--width", "0", "--height", "4");
        assertBad("forecast", List.of("50,000,000"), "--width", "100000", "--height", "100000");
        assertBad("forecast", List.of("EPSG:3857", "--bbox"), "--crs", "EPSG:3857");
        assertBad("forecast", List.of("--quantiles", "'high'"), "--quantiles", "0.5,high");
        assertBad("forecast", List.of("between 0 and 1"), "--quantiles", "1.5");
    }

    @Test
    void testTimesOutsideTheirRange() throws IOException {
        assertBad("forecast", List.of("1978-12-15", "not after", "1978-12-01 .. 1978-12-31"), "--time", "1978-12-15");
        assertBad("interpolate", List.of("1979-02-01", "outside", "1978-12-01 .. 1978-12-31", "forecast"),
                "--time", "1979-02-01");
        assertBad("interpolate", List.of("'31/12/1978'"), "--time", "31/12/1978");
    }

    @Test
    void testModelsThatCannotMakeRasters() throws IOException {
        Path plain = fit(windDecember1978("datetime,station,north,east,wind", null), "north,east", "plain.bnf");
        Path out = dir.resolve("bad.tif");
        assertBadInput(out, run("forecast", "--model", plain.toString(), "--width", "4", "--height", "4", "--output",
                out.toString()), "no georeference", "--coordinates", "--crs");
        Path extra = fit(windDecember1978("datetime,station,latitude,longitude,wind,elevation", "42"),
                "latitude,longitude,elevation", "latitude,longitude", "extra.bnf");
        assertBadInput(out, run("interpolate", "--model", extra.toString(), "--width", "4", "--height", "4",
                "--output", out.toString()), "[elevation]");
        assertBadInput(out, run("forecast", "--model", dir.resolve("none.bnf").toString(), "--width", "4", "--height",
                "4", "--output", out.toString()), "none.bnf");
        Path nowhere = dir.resolve("no-such-dir").resolve("x.tif");
        Run r = run("forecast", "--model", model.toString(), "--width", "4", "--height", "4", "--output", nowhere.toString());
        assertBadInput(nowhere, r, "no-such-dir", "does not exist");
    }
}
