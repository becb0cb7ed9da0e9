package dev.bayesnf.service.raster;

import dev.bayesnf.core.Georeference;
import java.util.List;

/**
 * A {@link RasterRequest} validated against a model by {@link RasterRequest#plan}: the model's
 * georeference, and the time steps resolved to labels (what the bands and the GeoTIFF say) and raw
 * model times (period index for calendar models, else the number).
 *
 * <p>Immutable and thread-safe.
 *
 * @param request the validated request
 * @param georeference the model's coordinate columns and CRS
 * @param labels time step labels, empty for a purely spatial model
 * @param rawTimes raw model time of every label
 * @param covariates the rasters of the model's features besides its coordinates
 */
public record RasterPlan(RasterRequest request, Georeference georeference, List<String> labels, double[] rawTimes,
        Covariates covariates) {
    public RasterPlan {
        labels = List.copyOf(labels);
        rawTimes = rawTimes.clone();
        if (labels.size() != rawTimes.length) {
            throw new IllegalArgumentException("one raw time per label is needed");
        }
        if (covariates == null) {
            covariates = Covariates.NONE;
        }
    }

    /** A plan of a model whose only features are its coordinates. */
    public RasterPlan(RasterRequest request, Georeference georeference, List<String> labels, double[] rawTimes) {
        this(request, georeference, labels, rawTimes, Covariates.NONE);
    }

    @Override
    public double[] rawTimes() {
        return rawTimes.clone();
    }

    /** Cells x time steps to predict. */
    public long cellSteps() {
        return RasterRequest.cellSteps(request.grid(), labels.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RasterPlan p && request.equals(p.request) && georeference.equals(p.georeference)
                && labels.equals(p.labels) && java.util.Arrays.equals(rawTimes, p.rawTimes)
                && covariates.equals(p.covariates);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(request, georeference, labels, java.util.Arrays.hashCode(rawTimes));
    }

    @Override
    public String toString() {
        return "RasterPlan[" + request + ", times=" + labels + "]";
    }
}
