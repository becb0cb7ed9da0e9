package dev.bayesnf.service.raster;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The covariate rasters of a raster product: for a model with features besides its coordinates
 * (meuse's distance to the river, a DEM's elevation), one {@link CovariateRaster} per feature,
 * and how they are read between cell centres.
 *
 * <p>A service checks a request before its rasters are fetched: {@link #declared} names the
 * features the rasters will supply, so that {@link RasterRequest#plan(dev.bayesnf.core.BayesNFModel,
 * Covariates)} can check the names at submission; prediction needs the rasters themselves.
 *
 * @param rasters feature name to raster
 * @param declared the features given, rasters or not yet read
 * @param resampling nearest cell or bilinear
 */
public record Covariates(Map<String, CovariateRaster> rasters, Set<String> declared,
        CovariateRaster.Resampling resampling) {
    /** No covariate rasters. */
    public static final Covariates NONE = new Covariates(Map.of(), CovariateRaster.Resampling.BILINEAR);

    public Covariates {
        rasters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rasters));
        Set<String> all = new LinkedHashSet<>(declared);
        all.addAll(rasters.keySet());
        declared = java.util.Collections.unmodifiableSet(all);
        if (resampling == null) {
            throw new IllegalArgumentException("a resampling is needed");
        }
    }

    /** Rasters that are read. */
    public Covariates(Map<String, CovariateRaster> rasters, CovariateRaster.Resampling resampling) {
        this(rasters, Set.of(), resampling);
    }

    /** Covariates named but not read yet: enough to check a request. */
    public static Covariates declared(java.util.Collection<String> names, CovariateRaster.Resampling resampling) {
        return new Covariates(Map.of(), new LinkedHashSet<>(names), resampling);
    }
}
