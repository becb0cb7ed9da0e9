package dev.bayesnf.service.raster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a {@link RasterProduct} as a Float32 GeoTIFF, and reads such a file back.
 *
 * <p>The file: little-endian classic TIFF, one image of {@code bands} samples per pixel stored
 * band by band (PlanarConfiguration 2), Float32 (SampleFormat 3), MinIsBlack with the extra
 * samples unspecified, DEFLATE compression (zlib, TIFF compression 8), 256 x 256 tiles above
 * {@link #STRIP_LIMIT} cells and strips of about 64 KiB below. Georeferencing: ModelPixelScale and
 * ModelTiepoint (pixel (0, 0) = top-left corner of the bounding box, x = east, y = north),
 * GeoKeys GTModelType (geographic or projected), GTRasterType = PixelIsArea and
 * GeographicType or ProjectedCSType = the EPSG code (CRS:84 is written as EPSG:4326, whose
 * GeoTIFF georeferencing is in longitude, latitude as well). GDAL-specific tags: GDAL_NODATA
 * (42113) = {@code nan}, and GDAL_METADATA (42112) with a description per band (what
 * {@code gdalinfo} shows as {@code Description = ...}), band items STATISTIC, QUANTILE and TIME,
 * and dataset items {@code BAYESNF_*} from which {@link #read} rebuilds the product exactly, plus
 * any caller metadata (provenance).
 *
 * <p>Why not Apache SIS's GeoTIFF writer (sis-geotiff 1.6), measured with gdalinfo 3.6: it
 * writes a longitude-first WGS 84 as a user-defined geographic CRS (no EPSG:4326, angle unit
 * "unknown"), tags a three-band float image as RGB, writes no GDAL_NODATA for NaN and no band
 * descriptions; adding those afterwards would mean rewriting the IFD anyway. Baseline TIFF with
 * GeoKeys is small enough to write directly, and is checked against gdalinfo in the tests.
 *
 * <p>Writes to a path are atomic (a temporary file in the same directory, renamed when complete).
 * The reader reads the files this class writes (either byte order, strips or tiles, no or DEFLATE
 * compression, Float32, band-separate), not arbitrary TIFFs.
 *
 * <p>Thread-safe (no shared state).
 */
public final class GeoTiff {
    /** Tile width and height of tiled files. */
    public static final int TILE = 256;
    /** Rasters of at most this many cells are written in strips, larger ones in tiles. */
    public static final long STRIP_LIMIT = 512L * 512;

    /** Dataset metadata item: the predicted variable. */
    public static final String TARGET = "BAYESNF_TARGET";
    /** Dataset metadata item: the grid CRS code. */
    public static final String CRS = "BAYESNF_CRS";
    /** Dataset metadata item: minX,minY,maxX,maxY exactly as in the grid. */
    public static final String BBOX = "BAYESNF_BBOX";
    /** Dataset metadata item: the time labels, comma-separated (empty: no time axis). */
    public static final String TIMES = "BAYESNF_TIMES";
    /** Dataset metadata item: the quantile levels, comma-separated. */
    public static final String LEVELS = "BAYESNF_LEVELS";

    /** TIFF field types and GDAL's private tags, shared by {@link GeoTiffWriter} and {@link GeoTiffReader}. */
    static final int ASCII = 2;
    static final int SHORT = 3;
    static final int LONG = 4;
    static final int DOUBLE = 12;
    static final int TAG_GDAL_METADATA = 42112;
    static final int TAG_GDAL_NODATA = 42113;

    private GeoTiff() {}

    /** Writes {@code product} to {@code path} atomically. */
    public static void write(RasterProduct product, Path path) throws IOException {
        write(product, path, Map.of());
    }

    /**
     * Writes {@code product} to {@code path} atomically, with {@code metadata} as extra dataset
     * items (names of letters, digits, '_', '.', ':' and '-'; e.g. model provenance).
     */
    public static void write(RasterProduct product, Path path, Map<String, String> metadata) throws IOException {
        byte[] xml = GeoTiffWriter.gdalMetadata(product, metadata).getBytes(StandardCharsets.UTF_8);
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                GeoTiffWriter.writeTo(product, xml, ch);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Streams the GeoTIFF of {@code product} to {@code out} (through a temporary file, since the
     * TIFF directory needs the block offsets; memory stays bounded). {@code out} is not closed.
     */
    public static void write(RasterProduct product, OutputStream out, Map<String, String> metadata)
            throws IOException {
        byte[] xml = GeoTiffWriter.gdalMetadata(product, metadata).getBytes(StandardCharsets.UTF_8);
        Path tmp = Files.createTempFile("bayesnf-", ".tif");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                GeoTiffWriter.writeTo(product, xml, ch);
            }
            Files.copy(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a GeoTIFF written by this class back into the product it was written from.
     *
     * @throws IOException when the file cannot be read or is not such a GeoTIFF (the message
     *     names the file and what is wrong)
     */
    public static RasterProduct read(Path path) throws IOException {
        return GeoTiffReader.read(path);
    }

    /**
     * The dataset metadata items of a GeoTIFF written by this class: the {@code BAYESNF_*} items
     * and the caller's extra items.
     */
    public static Map<String, String> metadata(Path path) throws IOException {
        return GeoTiffReader.metadata(path);
    }
}
