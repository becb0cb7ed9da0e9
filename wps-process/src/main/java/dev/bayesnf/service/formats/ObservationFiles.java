package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads observations from a file or document in whichever supported format it is, decided by its
 * first bytes (an SQLite header: GeoPackage; a zip header: zipped shapefile; a shapefile header;
 * '{': GeoJSON) and else read as delimited text. The command line and the processes read through
 * here, so both accept the same files.
 */
public final class ObservationFiles {
    /**
     * How to read.
     *
     * @param dialect what of the CSV dialect is forced (the rest is detected)
     * @param layer the GeoPackage layer, or null for the only one
     * @param maxRows most rows read from a GeoPackage or shapefile
     */
    public record Options(CsvDialect.Forced dialect, String layer, int maxRows) {
        /** Everything detected, no row limit beyond what fits an array. */
        public static final Options DEFAULTS = new Options(CsvDialect.Forced.NONE, null, Integer.MAX_VALUE - 8);
    }

    private ObservationFiles() {}

    /**
     * Reads a file.
     *
     * @throws DataException naming the file and the problem
     */
    public static ObservationTable read(Path file, Options o) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
        String name = file.toString();
        if (GeoPackageTables.looksLike(head)) {
            return GeoPackageTables.read(file, o.layer(), name, o.maxRows());
        }
        if (ShapefileTables.looksLikeZip(head)) {
            try (InputStream in = Files.newInputStream(file)) {
                return ShapefileTables.readZip(in, name, o.maxRows());
            } catch (IOException e) {
                throw new DataException(name + ": cannot read (" + e.getMessage() + ")");
            }
        }
        if (isShp(head) || name.toLowerCase(Locale.ROOT).endsWith(".shp")) {
            return ShapefileTables.readShp(file, name, o.maxRows());
        }
        if (startsWithBrace(head)) {
            try {
                return GeoJsonTables.read(Files.readString(file, StandardCharsets.UTF_8), name);
            } catch (IOException e) {
                throw new DataException(name + ": cannot read as UTF-8 GeoJSON (" + e.getMessage() + ")");
            }
        }
        return DelimitedText.read(file, o.dialect());
    }

    /**
     * Reads a document held in memory ({@code mimeType} may be null). A GeoPackage is written to
     * a temporary file in {@code scratch} to be opened, and deleted after.
     *
     * @throws DataException naming the document and the problem
     */
    public static ObservationTable read(byte[] data, String mimeType, String name, Options o, Path scratch) {
        String mime = mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT);
        if (GeoPackageTables.looksLike(data)) {
            Path tmp = null;
            try {
                Files.createDirectories(scratch);
                tmp = Files.createTempFile(scratch, "input", ".gpkg");
                Files.write(tmp, data);
                return GeoPackageTables.read(tmp, o.layer(), name, o.maxRows());
            } catch (IOException e) {
                // the message would name a server folder: not for the client
                throw new DataException(name + ": the GeoPackage could not be stored to be read");
            } finally {
                if (tmp != null) {
                    for (String side : new String[] {"", "-wal", "-shm", "-journal"}) {
                        try {
                            Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + side));
                        } catch (IOException e) {
                            // a left-over scratch file; the folder is the job's or the system's temporary one
                        }
                    }
                }
            }
        }
        if (ShapefileTables.looksLikeZip(data)) {
            return ShapefileTables.readZip(data, name, o.maxRows());
        }
        if (mime.contains("json") || mime.isEmpty() && startsWithBrace(data)) {
            return GeoJsonTables.read(new String(data, StandardCharsets.UTF_8), name);
        }
        return DelimitedText.read(data, name, o.dialect());
    }

    private static boolean isShp(byte[] head) {
        return head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x27 && head[3] == 0x0A;
    }

    private static boolean startsWithBrace(byte[] data) {
        int i = 0;
        if (data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        for (; i < data.length; i++) {
            if (!Character.isWhitespace(data[i])) {
                return data[i] == '{';
            }
        }
        return false;
    }
}
