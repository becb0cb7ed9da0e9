/**
 * The contract between what stores result rasters and what serves them as map layers: a
 * {@link dev.bayesnf.service.layers.LayerCatalog} of {@link dev.bayesnf.service.layers.LayerInfo}s.
 * The jobs implement it, the WMS front end reads it.
 *
 * <p>Owns: the description of a layer. Imports only the rasters; must not import the jobs, the
 * front ends or HTTP ({@code LayeringTest}).
 */
package dev.bayesnf.service.layers;
