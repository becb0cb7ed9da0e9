package dev.bayesnf.service.process;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.formats.CsvDialect;
import dev.bayesnf.service.formats.ObservationFiles;
import dev.bayesnf.service.formats.ObservationTable;
import java.nio.file.Path;
import java.util.List;

/**
 * Observation documents as tables: CSV with a header, or a GeoJSON FeatureCollection of points
 * whose properties become columns and whose coordinates become the columns {@code longitude} and
 * {@code latitude} (RFC 7946: WGS 84 longitude, latitude).
 */
public final class DataDocuments {
    /** Media types accepted for observation inputs. */
    public static final Format CSV = Format.text("text/csv", "csv");
    public static final Format GEOJSON = Format.text("application/geo+json", "geojson");
    public static final Format JSON = Format.text("application/json", "json");
    /** A GeoPackage with one point layer (OGC 12-128r18). */
    public static final Format GEOPACKAGE = Format.binary("application/geopackage+sqlite3", "gpkg");
    /** A point shapefile (.shp, .dbf, .prj, .cpg) in a zip archive. */
    public static final Format SHAPEFILE_ZIP = Format.binary("application/x-zipped-shp", "zip");

    /** Every format an observation input accepts, CSV first (the default). */
    public static Format[] observationFormats() {
        return new Format[] {CSV, GEOJSON, JSON, GEOPACKAGE, SHAPEFILE_ZIP};
    }

    private DataDocuments() {}

    /**
     * The first coordinate column pair the table has: longitude/latitude, lon/lat or x/y (the
     * GeoJSON reader names point coordinates longitude, latitude).
     */
    public static java.util.Optional<List<String>> coordinateColumns(DataTable table) {
        for (String[] pair : new String[][] {{"longitude", "latitude"}, {"lon", "lat"}, {"x", "y"}}) {
            if (table.has(pair[0]) && table.has(pair[1])) {
                return java.util.Optional.of(List.of(pair[0], pair[1]));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Parses a CSV or GeoJSON document (decided by the media type, or by the first character
     * when none is given).
     *
     * @throws ProcessException naming the input and the problem, with row numbers for CSV
     */
    public static DataTable table(String input, InputValue.Complex doc, int maxRows) {
        return observations(input, doc, maxRows).table();
    }

    /**
     * Parses an observation document ({@link ObservationFiles}): a GeoPackage point layer, a
     * zipped point shapefile, GeoJSON (its {@code crs} member honoured) or delimited text in any
     * dialect ({@link dev.bayesnf.service.formats.CsvDialect}, detected).
     *
     * @throws ProcessException naming the input and the problem, with row numbers for CSV
     */
    public static ObservationTable observations(String input, InputValue.Complex doc, int maxRows) {
        ObservationTable t;
        try {
            t = ObservationFiles.read(doc.data(), doc.mimeType(), input,
                    new ObservationFiles.Options(CsvDialect.Forced.NONE, null, maxRows + 1),
                    Path.of(System.getProperty("java.io.tmpdir")));
        } catch (DataException e) {
            throw ProcessException.invalid(input, e.getMessage());
        }
        if (t.table().rows() > maxRows) {
            throw new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, input, "input '" + input
                    + "' has " + t.table().rows() + " rows; this service accepts at most " + maxRows);
        }
        if (t.table().rows() == 0) {
            throw ProcessException.invalid(input, "input '" + input + "' has no data rows");
        }
        return t;
    }
}
