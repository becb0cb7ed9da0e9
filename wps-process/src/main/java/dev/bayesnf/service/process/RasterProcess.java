package dev.bayesnf.service.process;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.service.geo.UnknownCrsException;
import dev.bayesnf.service.raster.CovariateRaster;
import dev.bayesnf.service.raster.Covariates;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.raster.RasterKind;
import dev.bayesnf.service.raster.RasterPlan;
import dev.bayesnf.service.raster.RasterPredictor;
import dev.bayesnf.service.raster.RasterProduct;
import dev.bayesnf.service.raster.RasterRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bayesnf:Forecast} and {@code bayesnf:Interpolate}: a grid of predictive means and
 * quantiles for one or more times, written as a Float32 GeoTIFF and published as a WMS layer. The
 * same {@link RasterRequest} / {@link RasterPredictor} / {@link GeoTiff} code path as
 * {@code bayesnf forecast|interpolate}. Parameter names follow GeoServer's BarnesSurface
 * ({@code outputBBOX}, {@code outputWidth}, {@code outputHeight}).
 */
public final class RasterProcess implements BayesProcess {
    public static final String FORECAST = "bayesnf:Forecast";
    public static final String INTERPOLATE = "bayesnf:Interpolate";
    static final List<String> CRS = List.of("EPSG:4326", "CRS:84", "EPSG:3857", "urn:ogc:def:crs:EPSG::4326",
            "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:32629", "EPSG:32630", "EPSG:32631", "EPSG:32632", "EPSG:32633");

    static final String COVARIATE = "covariate";
    static final String COVARIATE_NAME = "covariateName";
    static final int MAX_COVARIATES = 16;

    private final ProcessLimits config;
    private final RasterKind kind;
    private final ProcessSpec spec;

    public RasterProcess(ProcessLimits config, RasterKind kind) {
        this.config = config;
        this.kind = kind;
        boolean f = kind == RasterKind.FORECAST;
        this.spec = new ProcessSpec(f ? FORECAST : INTERPOLATE,
                f ? "Forecast a field on a grid" : "Interpolate a field on a grid",
                (f ? "Predicts a stored model on a grid for future times (after the training data)"
                        : "Predicts a stored model on a grid at times inside the training data (or without time for"
                                + " purely spatial models)")
                        + ": a Float32 GeoTIFF with the predictive mean and each quantile per time, published as a"
                        + " WMS layer. Grid cells x time steps at most " + config.maxCellSteps() + ".",
                "1.0.0",
                List.of(ModelInput.spec(),
                        InputSpec.bbox("outputBBOX", CRS.toArray(new String[0])).title("Output extent").optional()
                                .describe("Bounding box of the grid with its CRS, any CRS of the EPSG dataset"
                                        + " (EPSG:4326 and CRS:84 are read longitude first, the URN form latitude"
                                        + " first); default: the training extent in the model's CRS").build(),
                        InputSpec.literal("outputWidth", "integer").title("Grid width").defaultValue("256").unit("pixels")
                                .range(1, 16384).build(),
                        InputSpec.literal("outputHeight", "integer").title("Grid height").defaultValue("256").unit("pixels")
                                .range(1, 16384).build(),
                        InputSpec.literal("time", "string").title("Times").optional().repeat(1000)
                                .describe("ISO 8601 dates or instants (numbers for numeric time); default: "
                                        + (f ? "the first period after the training data" : "the last training time"))
                                .build(),
                        Quantiles.spec(), ResidualKrigingInput.predictionSpec(), LowerBound.spec(),
                        InputSpec.complex(COVARIATE, Formats.GEOTIFF, Formats.TIFF, Formats.GEOTIFF_OGCAPI)
                                .title("Covariate rasters").optional().repeat(MAX_COVARIATES)
                                .describe("For a model with features besides its coordinates: one GeoTIFF (any CRS)"
                                        + " per such feature, in the order of covariateName; one band, or one per time"
                                        + " step. Cells where a covariate is NoData are NoData.").build(),
                        InputSpec.literal(COVARIATE_NAME, "string").title("Covariate names").optional()
                                .repeat(MAX_COVARIATES).describe("The feature each covariate raster supplies, in order")
                                .build(),
                        InputSpec.literal("resampling", "string").title("Covariate resampling").defaultValue("bilinear")
                                .allowed("bilinear", "nearest").describe("How covariate rasters are read at cell centres")
                                .build()),
                List.of(OutputSpec.complex("result", "Prediction raster", "Float32 GeoTIFF: per time the mean and each"
                                + " quantile; NoData is NaN", dev.bayesnf.service.process.Formats.TIFF,
                                Formats.GEOTIFF, Formats.GEOTIFF_OGCAPI),
                        OutputSpec.literal("layer", "WMS layer", "Name of the WMS layer the raster was published as",
                                "string")));
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    private RasterRequest request(ProcessInputs in, BayesNFModel model) {
        double[] levels = Quantiles.levels(in);
        int w = in.integer("outputWidth");
        int h = in.integer("outputHeight");
        Grid grid;
        try {
            grid = in.bbox("outputBBOX").map(b -> new Grid(b.crs(), b.minX(), b.minY(), b.maxX(), b.maxY(), w, h))
                    .orElseGet(() -> RasterRequest.trainingGrid(model, w, h));
        } catch (UnknownCrsException e) {
            throw ProcessException.invalid("outputBBOX", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid("outputBBOX", "outputBBOX: " + e.getMessage());
        }
        RasterRequest req = new RasterRequest(kind, grid, in.list("time"), levels);
        long cs = req.cellSteps();
        if (cs > config.maxCellSteps()) {
            throw ProcessException.invalid("outputWidth", "the grid has " + grid.width() + " x " + grid.height()
                    + " cells x " + Math.max(1, req.times().size()) + " time step(s) = " + cs
                    + ", over this service's limit of " + config.maxCellSteps());
        }
        try {
            req.checkLimits();
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid("outputWidth", e.getMessage());
        }
        return req;
    }

    private RasterPlan plan(RasterRequest req, BayesNFModel model, Covariates covariates) {
        try {
            return req.plan(model, covariates);
        } catch (UnknownCrsException e) {
            throw ProcessException.invalid("outputBBOX", e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw ProcessException.invalid(m.contains("covariate") ? COVARIATE : m.contains("time") ? "time" : "model",
                    m);
        }
    }

    /** The names of the covariate rasters, one per raster. */
    private static List<String> covariateNames(ProcessInputs in) {
        List<String> names = in.list(COVARIATE_NAME);
        int rasters = in.values().getOrDefault(COVARIATE, List.of()).size();
        if (names.size() != rasters) {
            throw ProcessException.invalid(COVARIATE_NAME, "give one covariateName per covariate raster: got "
                    + names.size() + " names for " + rasters + " rasters");
        }
        if (new java.util.HashSet<>(names).size() != names.size()) {
            throw ProcessException.invalid(COVARIATE_NAME, "covariateName lists a feature twice: " + names);
        }
        return names;
    }

    private static CovariateRaster.Resampling resampling(ProcessInputs in) {
        try {
            return CovariateRaster.Resampling.parse(in.text("resampling"));
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid("resampling", e.getMessage());
        }
    }

    /** The covariate rasters, each stored in the job's folder and read. */
    private static Covariates covariates(ProcessInputs in, Path dir) throws java.io.IOException {
        List<String> names = covariateNames(in);
        List<InputValue> docs = in.values().getOrDefault(COVARIATE, List.of());
        Map<String, CovariateRaster> rasters = new LinkedHashMap<>();
        long budget = CovariateRaster.MAX_CELLS;
        for (int i = 0; i < names.size(); i++) {
            if (!(docs.get(i) instanceof InputValue.Complex c)) {
                throw ProcessException.invalid(COVARIATE, "covariate " + names.get(i) + " is not a GeoTIFF document");
            }
            Path file = dir.resolve("covariate-" + i + ".tif");
            java.nio.file.Files.write(file, c.data());
            try {
                CovariateRaster raster = CovariateRaster.open(names.get(i), file, "covariate " + (i + 1), budget);
                budget -= (long) raster.cells() * raster.bands();
                rasters.put(names.get(i), raster);
            } catch (IllegalArgumentException e) {
                throw ProcessException.invalid(COVARIATE, e.getMessage());
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
        return new Covariates(rasters, resampling(in));
    }

    @Override
    public void validate(ProcessInputs in, ModelStore models) {
        BayesNFModel model = ModelInput.load(in, models);
        plan(request(in, model), model, Covariates.declared(covariateNames(in), resampling(in)));
    }

    @Override
    public Map<String, OutputValue> execute(ProcessInputs in, ProcessContext ctx) throws Exception {
        BayesNFModel model = ModelInput.load(in, ctx.models());
        RasterRequest req = request(in, model);
        RasterPlan plan = plan(req, model, covariates(in, ctx.resultDir()));
        RasterProduct product;
        // a dismissal ends the prediction with CancellationException, which the caller handles
        if (!Double.isNaN(LowerBound.of(in)) && model.spec().likelihood().isCount()) {
            throw ProcessException.invalid(LowerBound.ID, "lowerBound applies to the normal likelihood; counts are"
                    + " never negative");
        }
        product = new RasterPredictor(Backends.select(Backends.configuredRequest()), 0,
                ResidualKrigingInput.enabled(in, true), LowerBound.of(in)).predict(model, plan, ctx::isCancelled,
                p -> ctx.progress(95 * p, "predicting the grid"));
        ctx.progress(96, "writing the GeoTIFF");
        Path file = ctx.resultDir().resolve((kind == RasterKind.FORECAST ? "forecast" : "interpolation") + ".tif");
        GeoTiff.write(product, file, req.metadata(model, ResidualKrigingInput.enabled(in, true)));
        String title = (kind == RasterKind.FORECAST ? "forecast" : "interpolation") + "_" + model.spec().target();
        String layer = ctx.publishLayer(title, file);
        Map<String, OutputValue> out = new LinkedHashMap<>();
        Format format = spec.output("result").orElseThrow().format(ctx.requestedFormat("result"));
        out.put("result", new OutputValue.Document(file, format));
        out.put("layer", new OutputValue.Literal(layer));
        return out;
    }
}
