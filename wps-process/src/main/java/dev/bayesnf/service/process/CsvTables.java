package dev.bayesnf.service.process;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.service.formats.CsvDialect;
import dev.bayesnf.service.formats.DelimitedText;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Reads CSV files (with a header line) into {@link DataTable}s and writes CSV atomically. */
public final class CsvTables {
    /** Most columns a table may have: checked on the header, before any row is read. */
    public static final int MAX_COLUMNS = DelimitedText.MAX_COLUMNS;

    private CsvTables() {}

    /**
     * Reads a CSV file with a header, its dialect (delimiter, decimal comma, encoding) detected
     * ({@link CsvDialect}). An empty first header name (a pandas index column) is named "index".
     *
     * @throws DataException for a missing file, an empty file, more than {@link #MAX_COLUMNS}
     *     columns, duplicate column names or a row with the wrong number of fields
     */
    public static DataTable read(Path path) {
        return DelimitedText.read(path, CsvDialect.Forced.NONE).table();
    }

    /**
     * Reads comma-separated text (RFC 4180) with a header; {@code name} is used in messages.
     *
     * @throws DataException as {@link #read(Path)}
     */
    public static DataTable read(Reader reader, String name) {
        return DelimitedText.read(reader, name, CsvDialect.RFC4180);
    }

    /** Rows of a CSV being written. */
    public interface RowWriter {
        void write(CSVPrinter printer) throws IOException;
    }

    /** Writes a CSV file atomically: a temporary file beside it, renamed when complete. */
    public static void writeAtomically(Path path, List<String> header, RowWriter rows) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    CSVPrinter printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                            .setHeader(header.toArray(new String[0])).setRecordSeparator('\n').get())) {
                rows.write(printer);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
