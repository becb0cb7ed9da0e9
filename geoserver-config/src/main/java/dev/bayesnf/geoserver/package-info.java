/**
 * The BayesNF GeoServer plugin: a GeoTools {@link org.geotools.process.ProcessFactory} for the
 * namespace {@code bayesnf} that exposes {@code bayesnf:Fit}, {@code bayesnf:Forecast},
 * {@code bayesnf:Interpolate}, {@code bayesnf:Predict} and {@code bayesnf:Variogram} of
 * {@code bayesnf-wps-process} in GeoServer's WPS. It only converts: point feature collections to
 * the project's CSV tables ({@link dev.bayesnf.geoserver.FeatureTables}), envelopes to grids and
 * raster products to grid coverages ({@link dev.bayesnf.geoserver.Coverages}), GeoTools progress
 * listeners to the project's progress and cancellation ({@link dev.bayesnf.geoserver.ListenerContext});
 * every computation stays in {@code core-model} and {@code wps-process}.
 */
package dev.bayesnf.geoserver;
