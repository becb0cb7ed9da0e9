/**
 * OGC API - Processes - Part 1: Core 1.0 (OGC 18-062r2) over the job manager, JSON only: landing
 * page, conformance, OpenAPI 3.0 definition, process list and OGC process descriptions (inputs as
 * JSON Schema), synchronous and asynchronous execution, job status, results, job list and dismissal.
 *
 * <p>The front end shares the {@link dev.bayesnf.service.jobs.JobManager} with the WPS 1.0.0 front
 * end: a job created through one protocol can be watched through the other.
 */
package dev.bayesnf.service.ogcapi;
