package dev.bayesnf.cli;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.raster.CovariateRaster;
import dev.bayesnf.service.raster.Covariates;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterKind;
import dev.bayesnf.service.raster.RasterPlan;
import dev.bayesnf.service.raster.RasterPredictor;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.service.raster.RasterRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options and the run of {@code bayesnf forecast} and {@code bayesnf interpolate}: a grid
 * (bounding box, CRS, size), times and quantile levels, validated by {@link RasterRequest#plan},
 * predicted by {@link RasterPredictor} and written by {@link GeoTiff} (atomically: nothing is
 * left behind on failure).
 */
abstract class RasterCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.bnf",
            description = "Model file from 'bayesnf fit' with coordinates (fit with --coordinates/--crs); its other features come from --covariate rasters.")
    Path model;

    @Option(names = "--covariate", paramLabel = "FEATURE=FILE.tif",
            description = "A raster (GeoTIFF, any CRS) of one of the model's features besides the coordinates, e.g."
                    + " --covariate dist=dist.tif; repeat per feature. One band, or one band per time step of the product."
                    + " Cells where a covariate is NoData are NoData.")
    List<String> covariates = new ArrayList<>();

    @Option(names = "--resampling", defaultValue = "bilinear", paramLabel = "nearest|bilinear",
            description = "How covariate rasters are read at cell centres (default ${DEFAULT-VALUE}).")
    String resampling;

    @Option(names = "--bbox", paramLabel = "MINX,MINY,MAXX,MAXY",
            description = "Bounding box in east/north order in --crs (longitude,latitude for EPSG:4326)."
                    + " Default: the model's training extent (then --crs must be the model's CRS).")
    String bbox;

    @Option(names = "--crs", paramLabel = "CODE",
            description = "CRS of the bounding box and the output, e.g. EPSG:4326, EPSG:3857, EPSG:32629 (default: the model's CRS).")
    String crs;

    @Option(names = "--width", required = true, paramLabel = "W", description = "Columns of the grid.")
    int width;

    @Option(names = "--height", required = true, paramLabel = "H", description = "Rows of the grid.")
    int height;

    @Option(names = "--time", split = ",", paramLabel = "T",
            description = "Time step, repeatable or comma-separated: ISO 8601 date or date-time (UTC) for calendar models"
                    + " (1979-01-05, 1979-01-05T00:00, 1979-01-05T00:00:00Z), a number for numeric time.")
    List<String> times = new ArrayList<>();

    @Option(names = "--quantiles", split = ",", defaultValue = "0.025,0.5,0.975", paramLabel = "Q",
            description = "Quantile levels, one band each after the mean (default ${DEFAULT-VALUE}).")
    List<String> quantiles;

    @Mixin
    PredictionOptions prediction = new PredictionOptions();

    @Option(names = "--output", required = true, paramLabel = "OUT.tif",
            description = "GeoTIFF to write: Float32, per time step the mean then one band per quantile, NoData = NaN.")
    Path output;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    /** Forecast or interpolation. */
    abstract RasterKind kind();

    @Override
    public Integer call() throws Exception {
        double[] levels = PredictionOptions.levels(quantiles);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("--width and --height must be positive, got " + width + " x " + height);
        }
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output: directory " + dir + " does not exist");
        }
        BayesNFModel m = ModelFile.load(model);
        String modelCrs = RasterRequest.georeference(m).crs();
        Grid grid;
        if (bbox == null) {
            if (crs != null && !Crs.normalize(crs).equals(Crs.normalize(modelCrs))) {
                Crs.parse(crs);
                throw new IllegalArgumentException("--crs " + crs + " differs from the model's CRS " + modelCrs
                        + ", so give --bbox in it (the default box is the training extent in " + modelCrs + ")");
            }
            grid = RasterRequest.trainingGrid(m, width, height);
        } else {
            double[] b = parseBbox(bbox);
            grid = new Grid(crs != null ? crs : modelCrs, b[0], b[1], b[2], b[3], width, height);
        }
        RasterRequest request = new RasterRequest(kind(), grid, times, levels);
        RasterPlan plan = request.plan(m, covariates());
        warnIfOutsideTraining(grid, plan.georeference());
        ComputeBackend backend = prediction.backend();
        info(String.format(Locale.ROOT, "%s: %d x %d cells in %s, %s, %d bands; device %s (%s)", kind().id(),
                grid.width(), grid.height(), grid.crs(),
                plan.labels().isEmpty() ? "no time" : "times " + String.join(", ", plan.labels()),
                Math.max(1, plan.labels().size()) * (1 + levels.length), backend.id(), backend.device()));
        long start = System.nanoTime();
        long[] last = {start};
        RasterProduct product = new RasterPredictor(backend, prediction.threads, prediction.residualKriging(),
                prediction.lowerBound()).predict(m, plan, null, f -> {
            long now = System.nanoTime();
            if (now - last[0] > 5_000_000_000L) {
                last[0] = now;
                info(String.format(Locale.ROOT, "%s: %.0f%% (%.1f s)", kind().id(), 100 * f, (now - start) / 1e9));
            }
        });
        GeoTiff.write(product, output, request.metadata(m, prediction.residualKriging()));
        info(String.format(Locale.ROOT, "wrote %s (%d bands, %.1f s)", output, product.bands().length,
                (System.nanoTime() - start) / 1e9));
        return 0;
    }

    /**
     * Says so when the grid does not overlap the training extent at all (a latitude-first
     * --bbox, or a box in another CRS than --crs): the map would be extrapolation everywhere.
     */
    private void warnIfOutsideTraining(Grid grid, dev.bayesnf.core.Georeference g) {
        double[] c = {grid.minX(), grid.minY(), grid.maxX(), grid.minY(), grid.minX(), grid.maxY(), grid.maxX(),
            grid.maxY()};
        Crs.transform(grid.crs(), g.crs(), c, 4);
        double minX = Math.min(Math.min(c[0], c[2]), Math.min(c[4], c[6]));
        double maxX = Math.max(Math.max(c[0], c[2]), Math.max(c[4], c[6]));
        double minY = Math.min(Math.min(c[1], c[3]), Math.min(c[5], c[7]));
        double maxY = Math.max(Math.max(c[1], c[3]), Math.max(c[5], c[7]));
        boolean overlaps = maxX >= g.minX() && minX <= g.maxX() && maxY >= g.minY() && minY <= g.maxY();
        if (!overlaps) {
            info(String.format(Locale.ROOT, "warning: --bbox %s (%s) does not overlap the training extent %s,%s,%s,%s"
                    + " (%s): the map is extrapolation everywhere; is the box in east/north order and in --crs?", bbox,
                    grid.crs(), g.minX(), g.minY(), g.maxX(), g.maxY(), g.crs()));
        }
    }

    /** The --covariate rasters, opened. */
    private Covariates covariates() {
        CovariateRaster.Resampling how = CovariateRaster.Resampling.parse(resampling);
        Map<String, CovariateRaster> rasters = new LinkedHashMap<>();
        long budget = CovariateRaster.MAX_CELLS;
        for (String c : covariates) {
            int eq = c.indexOf('=');
            if (eq <= 0 || eq == c.length() - 1) {
                throw new IllegalArgumentException("--covariate takes FEATURE=FILE.tif, got '" + c + "'");
            }
            String name = c.substring(0, eq).trim();
            Path file = Path.of(c.substring(eq + 1).trim());
            CovariateRaster raster = CovariateRaster.open(name, file, file.toString(), budget);
            budget -= (long) raster.cells() * raster.bands();
            if (rasters.put(name, raster) != null) {
                throw new IllegalArgumentException("--covariate " + name + " is given twice");
            }
        }
        return new Covariates(rasters, how);
    }

    private void info(String line) {
        if (!quiet) {
            System.err.println(line);
        }
    }

    static double[] parseBbox(String text) {
        String[] p = text.split(",", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("--bbox takes four numbers MINX,MINY,MAXX,MAXY, got '" + text + "'");
        }
        double[] b = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                b[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--bbox: '" + p[i].trim() + "' is not a number (expected MINX,MINY,MAXX,MAXY)", e);
            }
        }
        return b;
    }
}
