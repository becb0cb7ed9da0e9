package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Georeference;
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
public record ObservationTable(DataTable table, Optional<String> crs, String description) {
    /**
     * Whether the file names a CRS other than {@code modelCrs} (null: the model has none), so
     * that its x, y would be misread by the model.
     */
    public boolean crsDiffersFrom(String modelCrs) {
        return crs.isPresent() && modelCrs != null
                && !dev.bayesnf.service.geo.Crs.normalize(crs.get()).equals(dev.bayesnf.service.geo.Crs.normalize(modelCrs));
    }

    /** A model's CRS code for a message: the code, or what {@link Georeference#LOCAL} means. */
    public static String describeCrs(String code) {
        return Georeference.LOCAL.equals(code) ? "coordinates without a CRS (x, y in their own unit)" : code;
    }
}
