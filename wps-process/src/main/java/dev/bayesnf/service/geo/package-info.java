/**
 * Coordinate reference systems as clients name them (EPSG codes, OGC URNs and URIs, CRS:84), with
 * their axis order, through Apache SIS.
 *
 * <p>Owns: CRS parsing and axis-order facts. Must not import HTTP, job or process classes.
 */
package dev.bayesnf.service.geo;
