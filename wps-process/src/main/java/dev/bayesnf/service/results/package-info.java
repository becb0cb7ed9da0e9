/**
 * Downloads of what jobs stored, for WPS and OGC API alike: result files and input documents
 * ({@code /results/{job}/{file}}, {@code /results/{job}/inputs/{name}}), each checked against its
 * stored checksum before it is served.
 *
 * <p>Owns: the download URLs. A front end: must not import the other front ends or the command
 * line ({@code LayeringTest}).
 */
package dev.bayesnf.service.results;
