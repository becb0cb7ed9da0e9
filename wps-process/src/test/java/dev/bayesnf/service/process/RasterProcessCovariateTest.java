package dev.bayesnf.service.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.raster.RasterKind;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.testing.Gdal;
import dev.bayesnf.testing.TestModelStore;
import dev.bayesnf.testing.TestProcessContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bayesnf:Interpolate with a covariate raster given by value: meuse zinc on the coordinates and
 * the distance to the river (RD New), the distance as a GeoTIFF made by GDAL from meuse.grid. The
 * process's map equals the command line's, cell for cell; names that do not fit the model are
 * refused at submission, before any raster is read.
 */
final class RasterProcessCovariateTest {
    static final Path MEUSE = Path.of("..", "test-data", "meuse.csv");
    static final Path GRID = Gdal.MEUSE_GRID;

    @TempDir
    static Path dir;

    static Path dist;
    static BayesNFModel model;
    static Path cliMap;

    @BeforeAll
    static void modelRasterAndCommandLineMap() throws Exception {
        dist = Gdal.meuseDistRaster(dir);
        Path m = dir.resolve("m.bnf");
        TestModelStore.cli("fit", "--data", MEUSE.toString(), "--target", "zinc", "--features", "x,y,dist",
                "--standardize", "x,y",
                "--coordinates", "x,y", "--crs", "EPSG:28992", "--width", "8", "--ensemble", "2", "--epochs", "30",
                "--threads", "1", "--device", "java", "--quiet", "--output", m.toString());
        model = ModelFile.load(m);
        cliMap = dir.resolve("cli.tif");
        TestModelStore.cli("interpolate", "--model", m.toString(), "--covariate", "dist=" + dist, "--bbox",
                "178440,329600,181560,333760", "--width", "78", "--height", "104", "--quantiles", "0.05,0.95",
                "--device", "java", "--quiet", "--output", cliMap.toString());
    }

    private static ModelStore store() {
        return new TestModelStore(Map.of("meuse", model));
    }

    private static ProcessInputs inputs(RasterProcess p, List<String> names, int rasters) throws Exception {
        Map<String, List<InputValue>> in = new LinkedHashMap<>();
        in.put("model", List.of(new InputValue.Literal("meuse")));
        in.put("outputBBOX", List.of(new InputValue.BoundingBox("EPSG:28992", new double[] {178440, 329600},
                new double[] {181560, 333760})));
        in.put("outputWidth", List.of(new InputValue.Literal("78")));
        in.put("outputHeight", List.of(new InputValue.Literal("104")));
        in.put("quantiles", List.of(new InputValue.Literal("0.05,0.95")));
        byte[] tif = Files.readAllBytes(dist);
        in.put("covariate", java.util.Collections.nCopies(rasters, new InputValue.Complex(tif, "image/tiff")));
        in.put("covariateName", names.stream().<InputValue>map(InputValue.Literal::new).toList());
        return new ProcessInputs(p.spec(), in);
    }

    @Test
    void theProcessMapsWithTheCovariateAsTheCommandLineDoes() throws Exception {
        RasterProcess p = new RasterProcess(ProcessLimits.defaults(), RasterKind.INTERPOLATE);
        ProcessInputs in = inputs(p, List.of("dist"), 1);
        p.validate(in, store());
        Path jobDir = Files.createDirectories(dir.resolve("job"));
        Map<String, OutputValue> out = p.execute(in, new TestProcessContext(jobDir, store()));
        Path file = ((OutputValue.Document) out.get("result")).file();
        RasterProduct ours = GeoTiff.read(file);
        RasterProduct theirs = GeoTiff.read(cliMap);
        assertEquals(theirs.bands().length, ours.bands().length);
        for (int b = 0; b < ours.bands().length; b++) {
            assertArrayEquals(theirs.bands()[b], ours.bands()[b], "band " + b);
        }
        try (var s = Files.list(jobDir)) {
            assertEquals(List.of("interpolation.tif"), s.map(f -> f.getFileName().toString()).toList(),
                    "the covariate files are not left in the job's folder");
        }
    }

    @Test
    void namesThatDoNotFitTheModelAreRefusedAtSubmission() throws Exception {
        RasterProcess p = new RasterProcess(ProcessLimits.defaults(), RasterKind.INTERPOLATE);
        ProcessException e = assertThrows(ProcessException.class, () -> p.validate(inputs(p, List.of(), 0), store()));
        assertTrue(e.getMessage().contains("[dist]"), e.getMessage());
        e = assertThrows(ProcessException.class, () -> p.validate(inputs(p, List.of("dist", "elev"), 2), store()));
        assertTrue(e.getMessage().contains("covariate elev is not a feature"), e.getMessage());
        e = assertThrows(ProcessException.class, () -> p.validate(inputs(p, List.of("dist", "elev"), 1), store()));
        assertTrue(e.getMessage().contains("one covariateName per covariate raster"), e.getMessage());
        e = assertThrows(ProcessException.class, () -> p.validate(inputs(p, List.of("dist"), 2), store()));
        assertTrue(e.getMessage().contains("one covariateName per covariate raster"), e.getMessage());
    }
}
