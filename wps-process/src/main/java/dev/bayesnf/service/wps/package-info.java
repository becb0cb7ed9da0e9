/**
 * The WPS 1.0.0 front end: GetCapabilities, DescribeProcess, Execute (KVP and XML, synchronous and
 * stored with status), status documents, Dismiss, and OWS exception reports.
 *
 * <p>Owns: WPS documents and codes. Must not hold process logic: requests become process inputs
 * for the job manager.
 */
package dev.bayesnf.service.wps;
