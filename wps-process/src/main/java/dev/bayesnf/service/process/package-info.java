/**
 * The processes (Fit, Forecast, Interpolate, Predict, Variogram, echo): their descriptions
 * (inputs, outputs, formats), validation of inputs, and execution against the core model, plus
 * the data documents they read (CSV tables, GeoJSON) and inputs given by reference
 * ({@link dev.bayesnf.service.process.ReferenceFetcher}).
 *
 * <p>Owns: what a process accepts and produces, in protocol-neutral terms (front ends turn a
 * {@link dev.bayesnf.service.process.ProcessException} into their own error documents). Must not
 * import HTTP, Jetty or the database: the GeoServer plugin runs these processes without them.
 * With {@code service.raster} and {@code service.geo} this is the process layer; its rule is
 * checked by the build ({@code LayeringTest}).
 */
package dev.bayesnf.service.process;
