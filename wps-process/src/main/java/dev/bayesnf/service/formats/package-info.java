/**
 * Readers of the files analysts bring their observations in: delimited text in any common dialect
 * ({@link dev.bayesnf.service.formats.CsvDialect}: delimiter, decimal comma, quote, encoding,
 * detected or forced), GeoJSON with its {@code crs} member, GeoPackage point layers and
 * shapefiles (loose or zipped). Each gives a core {@code DataTable} and, where the file says it,
 * the CRS of its coordinates ({@link dev.bayesnf.service.formats.ObservationTable}).
 *
 * <p>Owns: file formats only; no process, no protocol. Part of the process layer: it must not
 * import HTTP, Jetty, the job database, picocli or the service. It is the one package of that
 * layer that uses JDBC, to read GeoPackage files (SQLite databases) through sqlite-jdbc; the rule
 * is checked by the build ({@code LayeringTest}).
 */
package dev.bayesnf.service.formats;
