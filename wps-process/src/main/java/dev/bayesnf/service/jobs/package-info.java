/**
 * Jobs: the queue and their lifecycle (accepted, running, successful, failed, dismissed), durable
 * storage of requests, results and models (H2 or PostgreSQL through JDBC, files forced to the
 * device), per-caller limits, expiry and the sweeps of leftovers, and the registries of stored
 * models and WMS layers.
 *
 * <p>Owns: the database schema and the data directory's layout. Must not import the front ends
 * (WPS, OGC API, WMS rendering) or Jetty.
 */
package dev.bayesnf.service.jobs;
