package dev.bayesnf.service.raster;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.service.geo.Crs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a forecast or interpolation raster is asked for: the product kind, the output grid, the
 * time steps as text and the quantile levels. {@link #plan} checks it against a model (the one
 * place where raster requests are validated, for the command line and the processes alike) and
 * resolves the times; {@link #cellSteps} and {@link #values} estimate the size before any work.
 *
 * <p>Limits: at most {@link #MAX_CELL_STEPS} cells x time steps, at most {@link #MAX_VALUES}
 * values in all bands (4 bytes each, held in memory and written as Float32) and at most
 * {@link #MAX_BANDS} bands (the TIFF limit on samples per pixel).
 *
 * <p>Immutable and thread-safe (the levels array is copied).
 *
 * @param kind forecast or interpolation
 * @param grid the output grid (bounding box in east/north order in its CRS)
 * @param times time steps as text (ISO 8601 dates or date-times for calendar models, numbers for
 *     numeric time); empty for the product's default (see {@link RasterKind})
 * @param levels quantile levels, each strictly between 0 and 1; may be empty (mean only)
 */
public record RasterRequest(RasterKind kind, Grid grid, List<String> times, double[] levels) {
    /** Most cells x time steps a request may ask for. */
    public static final long MAX_CELL_STEPS = 50_000_000L;
    /** Most values (cells x bands) a request may produce: 1 GiB of Float32. */
    public static final long MAX_VALUES = 268_435_456L;
    /** Most bands a GeoTIFF can hold (SamplesPerPixel is a 16-bit number). */
    public static final int MAX_BANDS = 65_535;

    public RasterRequest {
        if (kind == null || grid == null) {
            throw new IllegalArgumentException("a raster request needs a kind and a grid");
        }
        List<String> t = new ArrayList<>();
        for (String s : times == null ? List.<String>of() : times) {
            if (s != null && !s.isBlank()) {
                t.add(s.trim());
            }
        }
        times = List.copyOf(t);
        levels = levels == null ? new double[0] : levels.clone();
        for (double q : levels) {
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException("quantile levels must be between 0 and 1 (exclusive), got " + q);
            }
        }
    }

    @Override
    public double[] levels() {
        return levels.clone();
    }

    /** Cells x time steps of a grid with {@code timeSteps} times (a purely spatial product has 1). */
    public static long cellSteps(Grid grid, int timeSteps) {
        return grid.cells() * Math.max(1, timeSteps);
    }

    /** Cells x time steps of this request; an empty time list counts as its one default time. */
    public long cellSteps() {
        return cellSteps(grid, times.size());
    }

    /** Values in all bands: cells x time steps x (1 + quantile levels). */
    public long values() {
        return cellSteps() * (1 + levels.length);
    }

    /** Bytes of the bands in memory (and of the uncompressed GeoTIFF data): 4 per value. */
    public long estimatedBytes() {
        return 4 * values();
    }

    /**
     * Checks the size limits that do not depend on the model.
     *
     * @throws IllegalArgumentException naming the size and the limit
     */
    public void checkLimits() {
        long cs = cellSteps();
        int steps = Math.max(1, times.size());
        if (cs > MAX_CELL_STEPS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the raster would have %,d cells x time steps (%d x %d cells, %d time steps), more than the limit"
                            + " of %,d; ask for a smaller grid or fewer times", cs, grid.width(), grid.height(), steps,
                    MAX_CELL_STEPS));
        }
        long bands = (long) steps * (1 + levels.length);
        if (bands > MAX_BANDS) {
            throw new IllegalArgumentException("the raster would have " + bands + " bands (" + steps
                    + " time steps x (mean + " + levels.length + " quantiles)), more than the " + MAX_BANDS
                    + " a GeoTIFF can hold");
        }
        if (values() > MAX_VALUES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the raster would have %,d values (%,d cells x time steps x %d bands each), more than the limit"
                            + " of %,d; ask for a smaller grid, fewer times or fewer quantiles", values(), cs,
                    1 + levels.length, MAX_VALUES));
        }
    }

    /**
     * The grid over a model's training extent in the model's own CRS, for requests that give no
     * bounding box.
     *
     * @throws IllegalArgumentException when the model has no georeference or its extent is
     *     empty (all training points on one line)
     */
    public static Grid trainingGrid(BayesNFModel model, int width, int height) {
        Georeference g = georeference(model);
        if (!(g.minX() < g.maxX() && g.minY() < g.maxY())) {
            throw new IllegalArgumentException("the model's training extent " + g.minX() + "," + g.minY() + ","
                    + g.maxX() + "," + g.maxY() + " is empty (all points on a line); give a bounding box");
        }
        return new Grid(g.crs(), g.minX(), g.minY(), g.maxX(), g.maxY(), width, height);
    }

    /**
     * Validates this request against {@code model} and resolves its times. Checked, in order:
     * the model has a georeference whose only features are the two coordinate columns (see
     * {@link #plan(BayesNFModel, Covariates)} for models with more); both CRSs
     * are known; the times suit the model and the product (see {@link RasterKind}); the size
     * limits.
     *
     * @throws IllegalArgumentException with a message naming the offending value and, for times,
     *     the allowed range in the model's own terms (dates for calendar models)
     */
    public RasterPlan plan(BayesNFModel model) {
        return plan(model, Covariates.NONE);
    }

    /**
     * As {@link #plan(BayesNFModel)}, for a model whose features besides its coordinates are
     * given as rasters: one per such feature (no more, no fewer), each of one band or of one band
     * per time step of the product.
     *
     * @throws IllegalArgumentException as {@link #plan(BayesNFModel)}, and naming a feature
     *     without a raster, a raster of no feature, or a band count that matches no time step
     */
    public RasterPlan plan(BayesNFModel model, Covariates covariates) {
        Georeference g = georeference(model);
        List<String> extra = new ArrayList<>(model.spec().features());
        extra.remove(g.x());
        extra.remove(g.y());
        List<String> missing = new ArrayList<>(extra);
        missing.removeAll(covariates.declared());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the model has features " + missing + " besides its coordinate columns "
                    + g.x() + ", " + g.y() + "; a grid cannot supply them: give a covariate raster for each"
                    + " (command line: --covariate " + missing.get(0) + "=FILE.tif; processes: a covariate input with"
                    + " covariateName " + missing.get(0) + ")");
        }
        for (String c : covariates.declared()) {
            if (!extra.contains(c)) {
                throw new IllegalArgumentException("covariate " + c + " is not a feature of the model besides its"
                        + " coordinates " + (extra.isEmpty() ? "(it has none)" : extra));
            }
        }
        Crs.parse(g.crs());
        Crs.parse(grid.crs());
        ModelTime mt = ModelTime.of(model);
        List<String> labels = new ArrayList<>();
        double[] raw;
        if (mt == null) {
            if (!times.isEmpty()) {
                throw new IllegalArgumentException("the model is purely spatial (no time column), so it takes no time;"
                        + " got " + String.join(", ", times));
            }
            if (kind == RasterKind.FORECAST) {
                throw new IllegalArgumentException("the model is purely spatial (no time column), so it cannot"
                        + " forecast; use interpolate");
            }
            raw = new double[0];
        } else {
            raw = resolveTimes(mt);
            for (double r : raw) {
                labels.add(mt.label(r));
            }
        }
        new RasterRequest(kind, grid, labels, levels).checkLimits();
        int steps = Math.max(1, labels.size());
        for (CovariateRaster c : covariates.rasters().values()) {
            if (c.bands() != 1 && c.bands() != steps) {
                throw new IllegalArgumentException("covariate " + c.name() + " has " + c.bands() + " bands; give one"
                        + " band, or one per time step of the product (" + steps + ")");
            }
        }
        return new RasterPlan(this, g, labels, raw, covariates);
    }

    private double[] resolveTimes(ModelTime mt) {
        if (times.isEmpty()) {
            return new double[] {kind == RasterKind.FORECAST ? mt.next() : mt.last()};
        }
        double[] raw = new double[times.size()];
        Map<Double, String> seen = new HashMap<>();
        for (int i = 0; i < raw.length; i++) {
            String t = times.get(i);
            double r = mt.parse(t);
            if (kind == RasterKind.FORECAST && !(r > mt.last())) {
                throw new IllegalArgumentException("forecast time " + t + " is not after the end of the training data ("
                        + mt.range() + "); forecasts need later times, interpolate covers the training period");
            }
            if (kind == RasterKind.INTERPOLATE && !(r >= mt.first() && r <= mt.last())) {
                throw new IllegalArgumentException("interpolation time " + t + " is outside the training time range "
                        + mt.range() + (r > mt.last() ? "; use forecast for later times" : ""));
            }
            String before = seen.putIfAbsent(r, t);
            if (before != null) {
                throw new IllegalArgumentException("time " + t + " is given twice (" + before + " is the same "
                        + (mt.calendar() ? "period" : "time") + ")");
            }
            raw[i] = r;
        }
        return raw;
    }

    /**
     * The model's georeference.
     *
     * @throws IllegalArgumentException saying how to fit a georeferenced model when it has none
     */
    public static Georeference georeference(BayesNFModel model) {
        Georeference g = model.georeference().orElseThrow(() -> new IllegalArgumentException("the model has no"
                + " georeference (coordinate columns and their CRS), so it cannot make rasters; fit it with"
                + " --coordinates X,Y --crs CODE (columns named longitude/latitude get EPSG:4326 without them)"));
        if (!g.hasCrs()) {
            throw new IllegalArgumentException("the model's coordinates (" + g.x() + ", " + g.y() + ") have no CRS,"
                    + " so it cannot place a raster on the Earth; fit it with --crs CODE (points can be predicted)");
        }
        return g;
    }

    /**
     * Dataset metadata for the GeoTIFF of this request's product from {@code model}: the product
     * kind ({@code BAYESNF_KIND}) and the model's provenance as {@code model.KEY} items.
     */
    public Map<String, String> metadata(BayesNFModel model) {
        return metadata(model, true);
    }

    /**
     * As {@link #metadata(BayesNFModel)}, with {@code BAYESNF_RESIDUAL_KRIGING}: yes when the
     * product includes the model's kriged residuals, else no.
     */
    public Map<String, String> metadata(BayesNFModel model, boolean residualKriging) {
        Map<String, String> md = new java.util.TreeMap<>();
        md.put("BAYESNF_KIND", kind.id());
        md.put("BAYESNF_RESIDUAL_KRIGING", residualKriging && model.residualKriging().isPresent() ? "yes" : "no");
        model.provenance().forEach((k, v) -> {
            if (k.matches("[A-Za-z0-9_.:-]+")) {
                md.put("model." + k, v);
            }
        });
        return md;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RasterRequest r && kind == r.kind && grid.equals(r.grid) && times.equals(r.times)
                && java.util.Arrays.equals(levels, r.levels);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, grid, times, java.util.Arrays.hashCode(levels));
    }

    @Override
    public String toString() {
        return "RasterRequest[" + kind.id() + ", " + grid + ", times=" + times + ", levels="
                + java.util.Arrays.toString(levels) + "]";
    }
}
