/**
 * The processes (Fit, Forecast, Interpolate, Predict, Variogram, echo): their descriptions
 * (inputs, outputs, formats), validation of inputs, and execution against the core model, plus
 * the data documents they read (CSV, GeoJSON) and inputs given by reference
 * ({@link dev.bayesnf.service.process.ReferenceFetcher}).
 *
 * <p>Owns: what a process accepts and produces, in protocol-neutral terms (front ends turn a
 * {@link dev.bayesnf.service.process.ProcessException} into their own error documents). Must not
 * import HTTP, Jetty or the database: the GeoServer plugin runs these processes without them.
 * Two imports still run the wrong way and are to move into a layer of their own: the CSV reader
 * from {@code dev.bayesnf.cli} and the PNG encoder from {@code service.wms}.
 */
package dev.bayesnf.service.process;
