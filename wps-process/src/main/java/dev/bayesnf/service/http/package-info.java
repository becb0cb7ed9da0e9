/**
 * The HTTP layer on Jetty: routing to endpoints, request bodies read asynchronously with limits
 * and deadlines, authentication of every request before its endpoint runs, the access log, and
 * KVP query parsing ({@link dev.bayesnf.service.http.Kvp}).
 *
 * <p>Owns: everything that touches Jetty. Must not import the front ends, jobs or processes:
 * endpoints come in through {@link dev.bayesnf.service.http.Endpoint}.
 */
package dev.bayesnf.service.http;
