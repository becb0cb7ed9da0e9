package dev.bayesnf.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bayesnf.service.raster.Gdal;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.raster.RasterProduct;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against the clients analysts use, from Debian: OWSLib (python3-owslib) fits and
 * forecasts asynchronously over WPS 1.0.0, polls, downloads the GeoTIFF and fetches a WMS GetMap;
 * then gdalinfo checks the GeoTIFF's CRS, geotransform, bands, NoData and statistics against the
 * values the service computed. Skipped where the clients are missing, except in CI (.ci/run
 * installs them), where that is a failure.
 */
class RealClientsTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void owslibFitsForecastsDownloadsAndMaps() throws Exception {
        boolean owslib = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import owslib")
                .start().waitFor() == 0;
        if (!owslib) {
            if (System.getenv("CI") != null) {
                fail("python3-owslib is missing in CI (.ci/run should install it)");
            }
            Assumptions.assumeTrue(false, "python3-owslib is not installed");
        }
        Path script = dir.resolve("owslib_client.py");
        try (InputStream in = getClass().getResourceAsStream("/owslib_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path train = dir.resolve("train.csv");
        Files.writeString(train, TestData.windTail(30));
        try (BayesNFService service = BayesNFService.start(ServiceConfig.defaults(dir.resolve("data"), 0).withDemo(false))) {
            Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), service.config().baseUrl(),
                    train.toString(), dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "OWSLib client timed out: " + out);
            assertEquals(0, p.exitValue(), "OWSLib client failed:\n" + out);
            Map<String, String> kv = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
                    kv.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            assertTrue(kv.get("PROCESSES").contains("bayesnf:Fit"), out);
            assertTrue(kv.get("FORECAST_INPUTS").contains("outputBBOX"), out);
            assertTrue(kv.get("TIFF_URL").startsWith(service.config().baseUrl() + "/results/"), out);
            assertTrue(kv.get("WMS_LAYERS").contains(kv.get("LAYER")), out);
            assertEquals("89504e470d0a1a0a", kv.get("PNG_MAGIC"), out);
            // a 3-second job polled every 0.5 s: OWSLib reads percentCompleted while it runs
            assertTrue(List.of(kv.get("ECHO_PROGRESS").split(",")).stream().anyMatch(s -> !s.equals("0") && !s.equals("100")),
                    "OWSLib saw progress between 0 and 100: " + out);

            Path tif = dir.resolve("forecast.tif");
            RasterProduct p2 = GeoTiff.read(tif);
            JsonNode info = Gdal.info(tif);
            assertEquals(4326, Gdal.epsg(info));
            assertEquals(List.of(40, 32), List.of(info.path("size").get(0).asInt(), info.path("size").get(1).asInt()));
            JsonNode gt = info.path("geoTransform");
            assertEquals(p2.grid().minX(), gt.get(0).asDouble(), 1e-9);
            assertEquals(p2.grid().cellWidth(), gt.get(1).asDouble(), 1e-9);
            assertEquals(p2.grid().maxY(), gt.get(3).asDouble(), 1e-9);
            assertEquals(-p2.grid().cellHeight(), gt.get(5).asDouble(), 1e-9);
            JsonNode bands = info.path("bands");
            assertEquals(8, bands.size(), "2 times x (mean + 3 quantiles)");
            for (int b = 0; b < bands.size(); b++) {
                JsonNode band = bands.get(b);
                assertEquals("Float32", band.path("type").asText());
                assertEquals("nan", band.path("noDataValue").asText().toLowerCase(java.util.Locale.ROOT));
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (float v : p2.bands()[b]) {
                    if (!Float.isNaN(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                assertEquals(min, band.path("minimum").asDouble(), 1e-3 * Math.max(1, Math.abs(min)), "gdalinfo prints 3 decimals");
                assertEquals(max, band.path("maximum").asDouble(), 1e-3 * Math.max(1, Math.abs(max)), "gdalinfo prints 3 decimals");
            }
            assertEquals("wind mean @ 1979-01-01", bands.get(0).path("description").asText());
        }
    }
}
