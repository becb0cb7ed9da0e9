package dev.bayesnf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * GDAL's command-line tools ({@code gdal-bin}, installed by {@code .ci/run}) making test files the
 * way an analyst makes them. A missing tool fails the test.
 */
public final class Gdal {
    /** meuse's 40 m prediction grid (x, y, dist), RD New. */
    public static final Path MEUSE_GRID = Path.of("..", "test-data", "meuse.grid.csv");

    private Gdal() {}

    /** Runs a GDAL command and returns its output; a failure fails the test with that output. */
    public static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), cmd[0] + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + log);
        return log;
    }

    /**
     * meuse's distance to the river as a Float32 GeoTIFF in EPSG:28992 whose 78 x 104 cells of 40 m
     * are centred on meuse.grid's points, NoData (-9999) elsewhere: {@code ogr2ogr} to a GeoPackage,
     * then {@code gdal_rasterize}.
     */
    public static Path meuseDistRaster(Path dir) throws Exception {
        Path gpkg = dir.resolve("grid.gpkg");
        run("ogr2ogr", "-f", "GPKG", gpkg.toString(), MEUSE_GRID.toString(), "-oo", "X_POSSIBLE_NAMES=x", "-oo",
                "Y_POSSIBLE_NAMES=y", "-oo", "AUTODETECT_TYPE=YES", "-a_srs", "EPSG:28992", "-nln", "grid");
        Path dist = dir.resolve("dist.tif");
        run("gdal_rasterize", "-a", "dist", "-tr", "40", "40", "-te", "178440", "329600", "181560", "333760",
                "-a_nodata", "-9999", "-init", "-9999", "-ot", "Float32", gpkg.toString(), dist.toString());
        return dist;
    }
}
