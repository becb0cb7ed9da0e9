package dev.bayesnf.service.formats;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a reader does to observations before the model sees them: dates written in the user's
 * format rewritten to ISO 8601, and rows with a missing value in a column the model needs left
 * out, counted per column. Messages name the file, line and column.
 */
public final class TableEdits {
    private TableEdits() {}

    /**
     * Rewrites the dates of {@code column}, written as {@code pattern} (a
     * {@link DateTimeFormatter} pattern such as {@code dd/MM/yyyy} or {@code dd.MM.yyyy HH:mm}),
     * to ISO 8601 ({@code 2020-03-31} or {@code 2020-03-31T14:00}). Missing cells stay missing.
     *
     * @throws DataException naming the line, column and pattern of the first cell that does not match
     * @throws IllegalArgumentException when {@code pattern} is not a valid pattern
     */
    public static DataTable reformatTime(DataTable table, String column, String pattern) {
        String letters = pattern.replaceAll("'[^']*'", "");
        if ((letters.indexOf('h') >= 0 || letters.indexOf('K') >= 0) && letters.indexOf('a') < 0) {
            // hh is the hour of AM/PM: without a it would lose the afternoon
            throw new IllegalArgumentException("time format '" + pattern + "' has a 12-hour hour (h) without AM/PM (a);"
                    + " use HH for 0-23 or add a");
        }
        DateTimeFormatter f;
        try {
            f = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("time format '" + pattern + "' is not a date pattern (" + e.getMessage()
                    + "); e.g. dd/MM/yyyy, MM/dd/yyyy HH:mm, yyyyMMdd");
        }
        String[] text = table.text(column);
        String[] iso = new String[text.length];
        for (int i = 0; i < text.length; i++) {
            String s = text[i] == null ? "" : text[i].trim();
            if (DataTable.isMissing(s)) {
                iso[i] = s;
                continue;
            }
            TemporalAccessor t;
            try {
                t = f.parse(s);
            } catch (DateTimeParseException e) {
                throw new DataException(table.where(i) + ", column '" + column + "': '" + s + "' does not match the time"
                        + " format " + pattern);
            }
            try {
                iso[i] = t.isSupported(ChronoField.HOUR_OF_DAY)
                        ? LocalDateTime.of(LocalDate.from(t), java.time.LocalTime.of(t.get(ChronoField.HOUR_OF_DAY),
                                t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : 0,
                                t.isSupported(ChronoField.SECOND_OF_MINUTE) ? t.get(ChronoField.SECOND_OF_MINUTE) : 0))
                                .toString()
                        : LocalDate.from(t).toString();
            } catch (java.time.DateTimeException e) {
                throw new DataException(table.where(i) + ", column '" + column + "': '" + s + "' is not a whole"
                        + " date in the time format " + pattern);
            }
        }
        return table.withColumn(column, iso);
    }

    /**
     * Rows with a missing value in one of {@code columns} left out, or the first such cell
     * reported.
     *
     * @param drop whether to leave such rows out ({@code false}: the first one is an error)
     * @param hint what the user can do, appended to the error (e.g. "or pass --drop-missing")
     * @throws DataException naming the line and column when {@code drop} is false
     */
    public static Dropped dropMissing(DataTable table, List<String> columns, boolean drop, String hint) {
        List<String[]> cells = new ArrayList<>();
        for (String c : columns) {
            cells.add(table.text(c));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < table.rows(); r++) {
            String missing = null;
            for (int c = 0; c < columns.size(); c++) {
                String s = cells.get(c)[r];
                if (DataTable.isMissing(s == null ? "" : s.trim())) {
                    missing = columns.get(c);
                    break;
                }
            }
            if (missing == null) {
                keep.add(r);
            } else if (!drop) {
                throw new DataException(table.where(r) + ", column '" + missing + "': missing value; fill it in " + hint);
            } else {
                counts.merge(missing, 1, Integer::sum);
            }
        }
        if (keep.size() == table.rows()) {
            return new Dropped(table, counts);
        }
        return new Dropped(table.subset(keep.stream().mapToInt(Integer::intValue).toArray()), counts);
    }

    /**
     * A table after {@link #dropMissing}.
     *
     * @param table the rows kept
     * @param counts rows left out per column (the first missing column of each row), in column order
     */
    public record Dropped(DataTable table, Map<String, Integer> counts) {
        /** Rows left out in all. */
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** "12 rows left out: 10 without 'elev', 2 without 'dist'", or "" when none. */
        public String describe() {
            if (counts.isEmpty()) {
                return "";
            }
            StringBuilder b = new StringBuilder().append(total()).append(total() == 1 ? " row" : " rows").append(" left out:");
            String sep = " ";
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                b.append(sep).append(e.getValue()).append(" without '").append(e.getKey()).append('\'');
                sep = ", ";
            }
            return b.toString();
        }
    }
}
