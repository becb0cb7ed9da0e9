package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataTable;
import java.util.Optional;

/**
 * Observations read from a file: the table, the CRS of its coordinate columns when the file
 * names one (GeoJSON {@code crs} member, GeoPackage spatial reference, shapefile {@code .prj}),
 * and what was read, for messages ("GeoPackage layer 'meuse'", "CSV, ';' delimited, decimal comma").
 *
 * @param table the columns; point geometries become {@code x}, {@code y} (projected) or
 *     {@code longitude}, {@code latitude} (geographic)
 * @param crs the coordinates' CRS as {@code AUTHORITY:CODE}, if the file names it
 * @param description the format as read
 */
public record ObservationTable(DataTable table, Optional<String> crs, String description) {}
