/**
 * The geospatial processing service: its configuration ({@link dev.bayesnf.service.ServiceConfig},
 * the embedded defaults of {@code bayesnf serve}) and the assembly of the HTTP server, the job
 * manager, the accounts and the three front ends (WPS 1.0.0, OGC API - Processes, WMS 1.3.0)
 * ({@link dev.bayesnf.service.BayesNFService}).
 *
 * <p>Owns: start-up and shutdown order. The subpackages own the rest; the processes
 * ({@code service.process}) must not import this package's server parts.
 */
package dev.bayesnf.service;
