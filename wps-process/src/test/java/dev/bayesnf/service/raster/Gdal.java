package dev.bayesnf.service.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs GDAL's {@code gdalinfo -json -stats} on a file, as a real client would read it. Where
 * gdalinfo is missing the test is skipped, except in CI ({@code CI} set), where .ci/run installs
 * gdal-bin and a missing gdalinfo is a failure.
 */
public final class Gdal {
    /** Where Debian's gdal-bin puts gdalinfo. */
    public static final Path GDALINFO = Path.of("/usr/bin/gdalinfo");

    private Gdal() {}

    /** The JSON report of {@code gdalinfo -json -stats FILE}; skips or fails when gdalinfo is missing. */
    public static JsonNode info(Path file) throws IOException, InterruptedException {
        if (!Files.isExecutable(GDALINFO)) {
            if (System.getenv("CI") != null) {
                fail(GDALINFO + " is missing in CI (gdal-bin should be installed by .ci/run)");
            }
            Assumptions.assumeTrue(false, GDALINFO + " is not installed (apt-get install gdal-bin)");
        }
        Path aux = file.resolveSibling(file.getFileName() + ".aux.xml");
        Process p = new ProcessBuilder(List.of(GDALINFO.toString(), "-json", "-stats", file.toString()))
                .redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gdalinfo did not finish");
        assertEquals(0, p.exitValue(), "gdalinfo failed: " + err);
        assertTrue(err.isBlank(), "gdalinfo warned: " + err);
        Files.deleteIfExists(aux);
        return new ObjectMapper().readTree(out);
    }

    /** The EPSG code gdalinfo found: the last top-level ID["EPSG",n] of the WKT. */
    public static int epsg(JsonNode info) {
        String wkt = info.path("coordinateSystem").path("wkt").asText();
        String tail = wkt.substring(wkt.lastIndexOf("ID[\"EPSG\","));
        assertTrue(wkt.trim().endsWith(tail.trim()), "the CRS itself carries an EPSG id: " + wkt);
        return Integer.parseInt(tail.replaceAll("[^0-9]", ""));
    }
}
