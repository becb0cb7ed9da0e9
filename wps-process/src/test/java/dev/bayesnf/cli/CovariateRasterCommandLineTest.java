package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.process.CsvTables;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.testing.Gdal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * meuse end to end in its national grid (RD New, EPSG:28992) with a covariate: zinc fitted on the
 * coordinates and the distance to the river, then mapped on the 40 m grid of meuse.grid with the
 * distance given as a GeoTIFF that GDAL makes here from the grid's points ({@code ogr2ogr},
 * {@code gdal_rasterize}, NoData outside the study area). The map opens in {@code gdalinfo} as
 * EPSG:28992, its cells at the grid points equal {@code predict} on those points, and cells where
 * the distance is NoData are NoData. GDAL ({@code gdal-bin}) is installed by {@code .ci/run};
 * without it this test fails.
 */
final class CovariateRasterCommandLineTest {
    static final Path GRID = Gdal.MEUSE_GRID;
    /** The 78 x 104 cells of 40 m whose centres are meuse.grid's points. */
    static final double MIN_X = 178440;
    static final double MAX_Y = 333760;

    @TempDir
    static Path dir;

    static Path dist;
    static Path model;

    @BeforeAll
    static void rasterAndModel() throws Exception {
        dist = Gdal.meuseDistRaster(dir);
        model = dir.resolve("meuse-dist.bnf");
        CommandLineTest.Run fit = CommandLineTest.run("fit", "--data", HybridCommandLineTest.MEUSE.toString(), "--target",
                "zinc", "--features", "x,y,dist", "--standardize", "x,y", "--coordinates", "x,y", "--crs", "EPSG:28992",
                "--width", "8", "--ensemble", "2", "--epochs", "40", "--threads", "1", "--device", "java", "--quiet",
                "--output", model.toString());
        assertEquals(0, fit.code(), fit.err());
    }

    @Test
    void theMapWithACovariateRasterEqualsPredictAtTheGridPoints() throws Exception {
        Path map = dir.resolve("zinc.tif");
        CommandLineTest.Run r = CommandLineTest.run("interpolate", "--model", model.toString(), "--covariate",
                "dist=" + dist, "--bbox", "178440,329600,181560,333760", "--width", "78", "--height", "104",
                "--device", "java", "--threads", "1", "--quiet", "--output", map.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("EPSG:28992", Gdal.run("gdalsrsinfo", "-o", "epsg", map.toString()).strip());
        assertTrue(Gdal.run("gdalinfo", map.toString()).contains("Size is 78, 104"));

        Path pred = dir.resolve("grid.pred.csv");
        r = CommandLineTest.run("predict", "--model", model.toString(), "--data", GRID.toString(), "--device", "java",
                "--threads", "1", "--output", pred.toString());
        assertEquals(0, r.code(), r.err());
        DataTable p = CsvTables.read(pred);
        double[] x = p.numeric("x", false);
        double[] y = p.numeric("y", false);
        double[] mean = p.numeric("mean", false);
        double[] upper = p.numeric("q0.975", false);
        RasterProduct product = GeoTiff.read(map);
        float[] meanBand = product.bands()[product.meanBand(0)];
        float[] upperBand = product.bands()[product.quantileBand(0, 2)];
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            int col = (int) ((x[i] - MIN_X) / 40);
            int row = (int) ((MAX_Y - y[i]) / 40);
            int cell = row * 78 + col;
            worst = Math.max(worst, Math.abs(meanBand[cell] - mean[i]) / Math.max(1, Math.abs(mean[i])));
            worst = Math.max(worst, Math.abs(upperBand[cell] - upper[i]) / Math.max(1, Math.abs(upper[i])));
        }
        // Float32 bands against the CSV's doubles, and the distance read back from a Float32 raster
        assertTrue(worst < 1e-4, "largest relative difference " + worst);
        int finite = 0;
        for (float v : meanBand) {
            finite += Float.isFinite(v) ? 1 : 0;
        }
        assertEquals(x.length, finite, "cells outside meuse.grid (distance NoData) must be NoData");
    }

    @Test
    void aModelWithCovariatesSaysWhichRasterItNeeds() {
        CommandLineTest.Run r = CommandLineTest.run("interpolate", "--model", model.toString(), "--width", "10",
                "--height", "10", "--output", dir.resolve("x.tif").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[dist]") && r.err().contains("--covariate dist=FILE.tif"), r.err());
        r = CommandLineTest.run("interpolate", "--model", model.toString(), "--covariate", "dist=" + dist,
                "--covariate", "elev=" + dist, "--width", "10", "--height", "10", "--output", dir.resolve("x.tif").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("covariate elev is not a feature"), r.err());
        r = CommandLineTest.run("interpolate", "--model", model.toString(), "--covariate", "dist=" + GRID,
                "--width", "10", "--height", "10", "--output", dir.resolve("x.tif").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("covariate dist") && !r.err().contains("Exception"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        List<String> none = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(f -> f.getFileName().toString().startsWith("x.tif")).forEach(f -> none.add(f.toString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(List.of(), none, "no output is left behind");
    }
}
