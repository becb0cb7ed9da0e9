package dev.bayesnf.service.process;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Reads CSV files (with a header line) into {@link DataTable}s and writes CSV atomically. */
public final class CsvTables {
    /** Most columns a table may have: checked on the header, before any row is read. */
    public static final int MAX_COLUMNS = 10_000;

    private CsvTables() {}

    /**
     * Reads a CSV file with a header. An empty first header name (a pandas index column) is
     * named "index".
     *
     * @throws DataException for a missing file, an empty file, more than {@link #MAX_COLUMNS}
     *     columns, duplicate column names or a row with the wrong number of fields
     */
    public static DataTable read(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(reader, path.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": no such file");
        } catch (IOException e) {
            throw new DataException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads CSV text with a header; {@code name} is used in messages.
     *
     * @throws DataException as {@link #read(Path)}
     */
    public static DataTable read(Reader reader, String name) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = null;
            List<List<String>> cols = new ArrayList<>();
            for (CSVRecord rec : parser) {
                if (header == null) {
                    if (rec.size() > MAX_COLUMNS) {
                        throw new DataException(name + ": line 1: " + rec.size() + " columns; at most " + MAX_COLUMNS
                                + " are read");
                    }
                    header = new ArrayList<>();
                    // a set beside the list: checking each name against the list was quadratic
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (int i = 0; i < rec.size(); i++) {
                        String h = rec.get(i).trim();
                        if (h.isEmpty() && i == 0) {
                            h = "index";
                        }
                        if (h.isEmpty()) {
                            throw new DataException(name + ": line 1: column " + (i + 1) + " has no name");
                        }
                        if (!seen.add(h)) {
                            throw new DataException(name + ": line 1: column '" + h + "' appears twice");
                        }
                        header.add(h);
                        cols.add(new ArrayList<>());
                    }
                    continue;
                }
                if (rec.size() == 1 && rec.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (rec.size() != header.size()) {
                    throw new DataException(name + ": line " + rec.getParser().getCurrentLineNumber()
                            + ": expected " + header.size() + " fields, got " + rec.size());
                }
                for (int i = 0; i < rec.size(); i++) {
                    cols.get(i).add(rec.get(i));
                }
            }
            if (header == null) {
                throw new DataException(name + ": the file is empty (expected a header line)");
            }
            Map<String, String[]> map = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                map.put(header.get(i), cols.get(i).toArray(new String[0]));
            }
            return new DataTable(name, 2, map);
        } catch (UncheckedIOException e) {
            throw new DataException(name + ": malformed CSV (" + e.getCause().getMessage() + ")");
        } catch (IOException e) {
            throw new DataException(name + ": cannot read (" + e.getMessage() + ")");
        }
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
