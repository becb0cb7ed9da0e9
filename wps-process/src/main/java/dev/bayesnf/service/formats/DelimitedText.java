package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Delimited text with a header line, in any {@link CsvDialect}, as a {@link DataTable}: numbers
 * written with a decimal comma are stored with a point, so the rest of the product reads one
 * form. An empty first header name (a pandas index column) is named "index".
 */
public final class DelimitedText {
    /** Most columns a table may have: checked on the header, before any row is read. */
    public static final int MAX_COLUMNS = 10_000;

    private DelimitedText() {}

    /**
     * Reads a file, detecting what {@code forced} leaves open.
     *
     * @throws DataException for a missing or unreadable file, and as {@link #read(Reader, String, CsvDialect)}
     */
    public static ObservationTable read(Path path, CsvDialect.Forced forced) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(CsvDialect.SAMPLE_BYTES);
            CsvDialect d = detect(path.toString(), head, forced);
            InputStream all = new SequenceInputStream(new ByteArrayInputStream(head, CsvDialect.bomLength(head, d.charset()),
                    head.length), in);
            DataTable t = read(new InputStreamReader(all, strict(d)), path.toString(), d);
            return new ObservationTable(t, Optional.empty(), "CSV, " + d.describe());
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": no such file");
        } catch (IOException e) {
            throw new DataException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads a document held in memory, detecting what {@code forced} leaves open. */
    public static ObservationTable read(byte[] data, String name, CsvDialect.Forced forced) {
        byte[] head = data.length <= CsvDialect.SAMPLE_BYTES ? data : java.util.Arrays.copyOf(data, CsvDialect.SAMPLE_BYTES);
        CsvDialect d = detect(name, head, forced);
        int bom = CsvDialect.bomLength(data, d.charset());
        DataTable t = read(new InputStreamReader(new ByteArrayInputStream(data, bom, data.length - bom), strict(d)), name, d);
        return new ObservationTable(t, Optional.empty(), "CSV, " + d.describe());
    }

    /** A decoder that reports bytes the encoding cannot read instead of replacing them. */
    private static java.nio.charset.CharsetDecoder strict(CsvDialect d) {
        return d.charset().newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    }

    private static CsvDialect detect(String name, byte[] head, CsvDialect.Forced forced) {
        try {
            return CsvDialect.detect(head, forced);
        } catch (IllegalArgumentException e) {
            throw new DataException(name + ": " + e.getMessage());
        }
    }

    /**
     * Reads text with a header line in the given dialect; {@code name} is used in messages.
     *
     * @throws DataException for an empty text, more than {@link #MAX_COLUMNS} columns, a column
     *     without a name, duplicate column names or a row with the wrong number of fields (naming
     *     the line and the dialect, which is the usual cause)
     */
    public static DataTable read(Reader reader, String name, CsvDialect dialect) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(dialect.delimiter()).setQuote(dialect.quote())
                .setIgnoreSurroundingSpaces(true).get();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = null;
            List<List<String>> cols = new ArrayList<>();
            for (CSVRecord rec : parser) {
                if (header == null) {
                    header = header(name, rec);
                    for (int i = 0; i < header.size(); i++) {
                        cols.add(new ArrayList<>());
                    }
                    continue;
                }
                if (rec.size() == 1 && rec.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (rec.size() != header.size()) {
                    throw new DataException(name + ": line " + rec.getParser().getCurrentLineNumber() + ": expected "
                            + header.size() + " fields, got " + rec.size() + hint(dialect));
                }
                for (int i = 0; i < rec.size(); i++) {
                    cols.get(i).add(dialect.normalizeNumber(rec.get(i)));
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
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new DataException(name + ": not valid " + dialect.charset().name() + " after the first "
                        + CsvDialect.SAMPLE_BYTES / 1024 + " KiB (the encoding was read from them); give the file's"
                        + " encoding (e.g. windows-1252)");
            }
            throw new DataException(name + ": malformed CSV (" + e.getCause().getMessage() + ")" + hint(dialect));
        } catch (IOException e) {
            throw new DataException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static List<String> header(String name, CSVRecord rec) {
        if (rec.size() > MAX_COLUMNS) {
            throw new DataException(name + ": line 1: " + rec.size() + " columns; at most " + MAX_COLUMNS + " are read");
        }
        List<String> header = new ArrayList<>();
        // a set beside the list: checking each name against the list was quadratic
        Set<String> seen = new HashSet<>();
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
        }
        return header;
    }

    private static String hint(CsvDialect d) {
        return " (read as " + d.describe() + "; if the file is written otherwise, give its delimiter, decimal"
                + " mark or encoding)";
    }
}
