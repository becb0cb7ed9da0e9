/**
 * Raster products of a fitted BayesNF model: a regular {@link dev.bayesnf.service.raster.Grid}
 * in any supported CRS, time steps validated for forecasting or interpolation
 * ({@link dev.bayesnf.service.raster.RasterRequest}), prediction of the predictive mean and
 * quantiles at every cell centre ({@link dev.bayesnf.service.raster.RasterPredictor}), and
 * Float32 GeoTIFF files of the result ({@link dev.bayesnf.service.raster.GeoTiff}), and PNG
 * images (maps, plots: {@link dev.bayesnf.service.raster.PngEncoder}).
 *
 * <p>Part of the process layer: must not import HTTP, Jetty, the database, the jobs or the front
 * ends ({@code LayeringTest}).
 *
 * <p>Everything here is x = east, y = north; row 0 of a band is its northern edge.
 */
package dev.bayesnf.service.raster;
