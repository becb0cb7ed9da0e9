package dev.bayesnf.cli;

import dev.bayesnf.service.formats.CsvDialect;
import dev.bayesnf.service.formats.ObservationFiles;
import dev.bayesnf.service.formats.ObservationTable;
import dev.bayesnf.service.formats.TableEdits;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to read an observation file, shared by {@code fit} and {@code predict}: the format is found
 * from the file (CSV in any dialect, GeoJSON, GeoPackage, shapefile loose or zipped); these
 * options force what detection would guess wrong.
 */
final class InputOptions {
    @Option(names = "--delimiter", paramLabel = "C", description = "CSV field delimiter: a character, or tab, comma, semicolon, pipe (default: detected).")
    String delimiter;

    @Option(names = "--decimal", paramLabel = ".|,", description = "CSV decimal mark, '.' or ',' (default: detected; a comma only with another delimiter).")
    String decimal;

    @Option(names = "--encoding", paramLabel = "NAME", description = "CSV encoding, e.g. UTF-8, windows-1252 (default: a byte-order mark, else UTF-8 when the file is valid UTF-8, else windows-1252).")
    String encoding;

    @Option(names = "--layer", paramLabel = "NAME", description = "GeoPackage layer to read (default: the only feature layer).")
    String layer;

    @Option(names = "--time-format", paramLabel = "PATTERN", description = "How the time column's dates are written, e.g. dd/MM/yyyy or dd.MM.yyyy HH:mm (Java DateTimeFormatter pattern; default ISO 8601 such as 2020-03-31).")
    String timeFormat;

    /** Reads {@code file}; its time column (null: none) rewritten from {@code --time-format}. */
    ObservationTable read(Path file, String timeColumn) {
        ObservationTable t = ObservationFiles.read(file, new ObservationFiles.Options(
                CsvDialect.Forced.parse(delimiter, decimal, encoding), layer, Integer.MAX_VALUE - 8));
        if (timeFormat == null) {
            return t;
        }
        if (timeColumn == null) {
            throw new IllegalArgumentException("--time-format applies to the time column: name it with --time COL");
        }
        return new ObservationTable(TableEdits.reformatTime(t.table(), timeColumn, timeFormat), t.crs(), t.description());
    }
}
