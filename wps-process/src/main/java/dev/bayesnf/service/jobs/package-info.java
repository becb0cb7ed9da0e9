/**
 * Jobs: the queue and their lifecycle (accepted, running, successful, failed, dismissed), durable
 * storage of requests, results and models (H2 or PostgreSQL through JDBC, files forced to the
 * device), per-caller limits, expiry and the sweeps of leftovers, and the registries of stored
 * models and WMS layers.
 *
 * <p>Owns: the database schema and the data directory's layout. Must not import the front ends
 * (WPS, OGC API, WMS), HTTP or Jetty ({@code LayeringTest}); it serves the WMS its layers through
 * {@link dev.bayesnf.service.layers.LayerCatalog}.
 */
package dev.bayesnf.service.jobs;
