/**
 * Jobs: the queue and their lifecycle (accepted, running, successful, failed, dismissed), durable
 * storage of requests, results and models (H2 or PostgreSQL through JDBC, files forced to the
 * device), per-caller limits, expiry and the sweeps of leftovers, and the registries of stored
 * models and WMS layers.
 *
 * <p>Owns: the database schema and the data directory's layout. Must not import the WPS and OGC
 * API front ends or Jetty; it serves the WMS its layers through the WMS's own
 * {@code LayerCatalog} interface.
 */
package dev.bayesnf.service.jobs;
