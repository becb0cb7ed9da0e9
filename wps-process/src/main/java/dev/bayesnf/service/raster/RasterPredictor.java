package dev.bayesnf.service.raster;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.TrainingStatistics;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.service.geo.Crs;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Predicts a {@link RasterProduct}: the predictive mean and quantiles (BayesNF spec §6.4, through
 * {@link BayesNFPredictor.Session#predictRows}) at the centre of every grid cell, for every time step of a
 * validated {@link RasterRequest}. The one code path of the {@code forecast} and
 * {@code interpolate} commands and processes.
 *
 * <p>Cell centres are transformed from the grid CRS to the model's georeference CRS (east/north
 * order, {@link Crs#transform}) and become model inputs exactly as {@link TrainingStatistics#inputs}
 * makes them from a table: time offset from the training minimum first, then each feature
 * standardized with the training mean and standard deviation. Features besides the coordinates
 * come from the plan's {@link Covariates} rasters, sampled at the cell centre (transformed to each
 * raster's CRS), from their one band or the band of the time step. Cells that cannot be
 * transformed, or where a covariate is NoData, are NaN (NoData) in the bands concerned.
 *
 * <p>Work goes in chunks of at most {@link #CHUNK_CELLS} cells: each chunk is transformed once
 * and predicted for every time step, so memory beyond the product's bands is bounded by the chunk.
 * Cancellation is checked and progress (0..1) reported between chunks and time steps.
 *
 * <p>Thread-safe; each call has its own state.
 */
public final class RasterPredictor {
    /** Cells per chunk. */
    public static final int CHUNK_CELLS = 16_384;

    private final BayesNFPredictor predictor;

    /**
     * @param backend where the networks run
     * @param threads worker threads a CPU backend may use (0 = all processors)
     */
    public RasterPredictor(ComputeBackend backend, int threads) {
        this(backend, threads, true);
    }

    /**
     * @param residualKriging whether to add the model's kriged residuals when it has them
     *     (each cell's neighbourhood at each time step; observations at exactly a cell centre and
     *     time are left out)
     */
    public RasterPredictor(ComputeBackend backend, int threads, boolean residualKriging) {
        this(backend, threads, residualKriging, Double.NaN);
    }

    /**
     * @param lowerBound the least value the quantity can take (NaN: none): the predictive
     *     distribution censored there ({@link BayesNFPredictor#withLowerBound})
     */
    public RasterPredictor(ComputeBackend backend, int threads, boolean residualKriging, double lowerBound) {
        this.predictor = new BayesNFPredictor(backend, threads, residualKriging).withLowerBound(lowerBound);
    }

    /**
     * Validates {@code request} against {@code model} ({@link RasterRequest#plan}) and predicts it.
     *
     * @param cancelled polled between chunks; null for never
     * @param progress receives the fraction done (0..1) after every chunk; null for none
     * @throws IllegalArgumentException for a request that does not suit the model
     * @throws CancellationException when {@code cancelled} says so
     */
    public RasterProduct predict(BayesNFModel model, RasterRequest request, BooleanSupplier cancelled,
            DoubleConsumer progress) {
        return predict(model, request.plan(model), cancelled, progress);
    }

    /**
     * Predicts an already validated plan of {@code model}.
     *
     * @throws CancellationException when {@code cancelled} says so
     */
    public RasterProduct predict(BayesNFModel model, RasterPlan plan, BooleanSupplier cancelled,
            DoubleConsumer progress) {
        BooleanSupplier stop = cancelled == null ? () -> false : cancelled;
        DoubleConsumer report = progress == null ? p -> { } : progress;
        RasterRequest request = plan.request();
        Grid grid = request.grid();
        double[] levels = request.levels();
        List<String> labels = plan.labels();
        double[] raw = plan.rawTimes();
        Georeference geo = plan.georeference();
        ModelSpec spec = model.spec();
        TrainingStatistics stats = model.stats();
        FeatureLayout layout = model.layout();
        boolean hasTime = spec.time() != null;
        int steps = Math.max(1, labels.size());
        int perStep = 1 + levels.length;
        long cells = grid.cells();
        if (cells > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the grid has " + cells + " cells, more than one band can hold");
        }
        float[][] bands = new float[steps * perStep][(int) cells];

        List<String> features = spec.features();
        int f = features.size();
        boolean[] isX = new boolean[f];
        for (int j = 0; j < f; j++) {
            isX[j] = features.get(j).equals(geo.x());
        }
        double[] mean = stats.mean();
        double[] std = stats.std();
        int base = hasTime ? 1 : 0;
        int width = grid.width();
        float[][] seasonalOfStep = new float[steps][layout.seasonalWidth()];
        for (int t = 0; t < steps && hasTime; t++) {
            layout.seasonalFeatures(raw[t] - stats.timeMin(), seasonalOfStep[t], 0);
        }

        // the rasters of the features besides the coordinates, by feature index
        CovariateRaster[] covariate = new CovariateRaster[f];
        Covariates covariates = plan.covariates();
        for (int j = 0; j < f; j++) {
            if (!isX[j] && !features.get(j).equals(geo.y())) {
                covariate[j] = covariates.rasters().get(features.get(j));
                if (covariate[j] == null) {
                    throw new IllegalStateException("covariate " + features.get(j) + " was declared but not read");
                }
            }
        }

        int chunks = (int) ((cells + CHUNK_CELLS - 1) / CHUNK_CELLS);
        long units = (long) chunks * steps;
        long done = 0;
        double[] centres = new double[2 * CHUNK_CELLS];
        double[] xy = new double[2 * CHUNK_CELLS];
        int[] valid = new int[CHUNK_CELLS];
        boolean krige = predictor.kriges(model);
        // one session for the whole raster: a device backend keeps the model on the device
        try (BayesNFPredictor.Session session = predictor.open(model)) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                int c0 = chunk * CHUNK_CELLS;
                int n = (int) Math.min(CHUNK_CELLS, cells - c0);
                checkCancelled(stop);
                for (int i = 0; i < n; i++) {
                    int c = c0 + i;
                    centres[2 * i] = grid.centerX(c % width);
                    centres[2 * i + 1] = grid.centerY(c / width);
                }
                System.arraycopy(centres, 0, xy, 0, 2 * n);
                Crs.transform(grid.crs(), geo.crs(), xy, n);
                // covariate values at the cell centres: [feature][band][cell]
                double[][][] values = new double[f][][];
                for (int j = 0; j < f; j++) {
                    if (covariate[j] != null) {
                        double[] there = java.util.Arrays.copyOf(centres, 2 * n);
                        Crs.transform(grid.crs(), covariate[j].crs(), there, n);
                        values[j] = new double[covariate[j].bands()][];
                        for (int b = 0; b < values[j].length; b++) {
                            values[j][b] = covariate[j].sample(there, n, b, covariates.resampling());
                        }
                    }
                }
                for (int t = 0; t < steps; t++) {
                    checkCancelled(stop);
                    // cells whose coordinates transform and whose covariates have values at this step
                    int m = 0;
                    for (int i = 0; i < n; i++) {
                        boolean ok = Double.isFinite(xy[2 * i]) && Double.isFinite(xy[2 * i + 1]);
                        for (int j = 0; ok && j < f; j++) {
                            ok = values[j] == null || Double.isFinite(values[j][band(values[j], t)][i]);
                        }
                        if (ok) {
                            valid[m++] = i;
                        }
                    }
                    float[][] x = new float[m][base + f];
                    float[][] seasonal = new float[m][];
                    for (int r = 0; r < m; r++) {
                        int i = valid[r];
                        for (int j = 0; j < f; j++) {
                            double v = values[j] != null ? values[j][band(values[j], t)][i]
                                    : isX[j] ? xy[2 * i] : xy[2 * i + 1];
                            x[r][base + j] = (float) ((v - mean[j]) / std[j]);
                        }
                        if (hasTime) {
                            x[r][0] = (float) (raw[t] - stats.timeMin());
                        }
                        seasonal[r] = seasonalOfStep[t].clone();
                    }
                    double[] mu = new double[m];
                    double[][] quant = new double[levels.length][m];
                    double[] siteX = krige ? new double[m] : null;
                    double[] siteY = krige ? new double[m] : null;
                    double[] siteT = krige ? new double[m] : null;
                    for (int r = 0; krige && r < m; r++) {
                        siteX[r] = xy[2 * valid[r]];
                        siteY[r] = xy[2 * valid[r] + 1];
                        siteT[r] = hasTime ? raw[t] : 0;
                    }
                    if (m > 0) {
                        session.predictRows(x, seasonal, siteX, siteY, siteT, levels, mu, quant, 0);
                    }
                    float[] meanBand = bands[t * perStep];
                    java.util.Arrays.fill(meanBand, c0, c0 + n, Float.NaN);
                    for (int r = 0; r < m; r++) {
                        meanBand[c0 + valid[r]] = (float) mu[r];
                    }
                    for (int k = 0; k < levels.length; k++) {
                        float[] qb = bands[t * perStep + 1 + k];
                        java.util.Arrays.fill(qb, c0, c0 + n, Float.NaN);
                        for (int r = 0; r < m; r++) {
                            qb[c0 + valid[r]] = (float) quant[k][r];
                        }
                    }
                    done++;
                    report.accept((double) done / units);
                }
            }
        }
        return new RasterProduct(grid, labels, levels, spec.target(), bands);
    }

    /** The band of a covariate at time step t: its only band, or the step's own. */
    private static int band(double[][] covariateBands, int t) {
        return covariateBands.length == 1 ? 0 : t;
    }

    private static void checkCancelled(BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            throw new CancellationException("raster prediction cancelled");
        }
    }
}
