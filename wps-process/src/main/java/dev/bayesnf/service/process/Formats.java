package dev.bayesnf.service.process;

/** The media types the processes read and write. */
public final class Formats {
    private Formats() {}

    public static final Format CSV = DataDocuments.CSV;
    public static final Format GEOJSON = DataDocuments.GEOJSON;
    public static final Format JSON = DataDocuments.JSON;
    /** GeoServer's media type for GeoTIFF, which the QGIS WPS client keys on. */
    public static final Format TIFF = Format.binary("image/tiff", "tif");
    /** PyWPS's spelling of the same. */
    public static final Format GEOTIFF = Format.binary("image/tiff; subtype=geotiff", "tif");
    /** OGC API's spelling. */
    public static final Format GEOTIFF_OGCAPI = Format.binary("image/tiff; application=geotiff", "tif");
    /** The .bnf model file (a ZIP archive). */
    public static final Format MODEL = Format.binary("application/x-bayesnf-model", "bnf");
    public static final Format ZIP = Format.binary("application/zip", "bnf");
    public static final Format TEXT = Format.text("text/plain", "txt");
    /** Plots (the Variogram process). */
    public static final Format PNG = Format.binary("image/png", "png");
}
