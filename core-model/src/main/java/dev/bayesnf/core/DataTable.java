package dev.bayesnf.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table of named text columns as read from a CSV file (or built in code), with the source name
 * and line numbering used in error messages. Numeric views are parsed on demand.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class DataTable {
    private final String source;
    private final int firstLine;
    private final int[] lines;
    private final int rows;
    private final Map<String, String[]> columns;

    /**
     * @param source name of the data (file name) for messages
     * @param firstLine line number of the first data row (2 for a CSV file with a header)
     * @param columns column name to values, in column order; all of the same length
     */
    public DataTable(String source, int firstLine, Map<String, String[]> columns) {
        this(source, firstLine, null, columns);
    }

    private DataTable(String source, int firstLine, int[] lines, Map<String, String[]> columns) {
        this.source = source;
        this.firstLine = firstLine;
        this.lines = lines;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        int n = -1;
        for (Map.Entry<String, String[]> e : columns.entrySet()) {
            if (n >= 0 && e.getValue().length != n) {
                throw new IllegalArgumentException(source + ": column '" + e.getKey() + "' has "
                        + e.getValue().length + " values, expected " + n);
            }
            n = e.getValue().length;
        }
        this.rows = Math.max(n, 0);
    }

    /** Builds a table from numeric columns (values written with {@link Double#toString}). */
    public static DataTable ofNumbers(String source, Map<String, double[]> numeric) {
        Map<String, String[]> text = new LinkedHashMap<>();
        numeric.forEach((k, v) -> {
            String[] s = new String[v.length];
            for (int i = 0; i < v.length; i++) {
                s[i] = Double.toString(v[i]);
            }
            text.put(k, s);
        });
        return new DataTable(source, 1, text);
    }

    public String source() {
        return source;
    }

    public int rows() {
        return rows;
    }

    public List<String> columnNames() {
        return new ArrayList<>(columns.keySet());
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /** Where row i is, for messages: "file: line N". */
    public String where(int row) {
        return source + ": line " + (lines != null ? lines[row] : row + firstLine);
    }

    /**
     * The given rows of this table, in that order; messages about them still name their lines
     * in the source.
     */
    public DataTable subset(int[] rowIndices) {
        Map<String, String[]> sub = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : columns.entrySet()) {
            String[] v = new String[rowIndices.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getValue()[rowIndices[i]];
            }
            sub.put(e.getKey(), v);
        }
        int[] l = new int[rowIndices.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = lines != null ? lines[rowIndices[i]] : rowIndices[i] + firstLine;
        }
        return new DataTable(source, firstLine, l, sub);
    }

    /**
     * This table with one column's text replaced (or added last), rows and their line numbers
     * unchanged: how a reader rewrites a column into the form the model reads (dates to ISO).
     */
    public DataTable withColumn(String column, String[] values) {
        if (values.length != rows && !columns.isEmpty()) {
            throw new IllegalArgumentException(source + ": column '" + column + "' has " + values.length
                    + " values, expected " + rows);
        }
        Map<String, String[]> c = new LinkedHashMap<>(columns);
        c.put(column, values.clone());
        return new DataTable(source, firstLine, lines, c);
    }

    /** The raw text of a column. */
    public String[] text(String column) {
        String[] c = columns.get(column);
        if (c == null) {
            throw new DataException(source + ": no column '" + column + "' (columns: "
                    + String.join(", ", columns.keySet()) + ")");
        }
        return c;
    }

    /**
     * A column parsed as numbers. Empty cells, "NA", "NaN" and "null" become NaN when
     * {@code allowMissing}, else they are errors; non-numeric text and infinities are errors.
     */
    public double[] numeric(String column, boolean allowMissing) {
        String[] t = text(column);
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            String s = t[i] == null ? "" : t[i].trim();
            if (isMissing(s)) {
                if (!allowMissing) {
                    throw new DataException(where(i) + ", column '" + column + "': missing value"
                            + (s.isEmpty() ? "" : " '" + s + "'"));
                }
                v[i] = Double.NaN;
                continue;
            }
            double x;
            try {
                x = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new DataException(where(i) + ", column '" + column + "': '" + s + "' is not a number");
            }
            if (!Double.isFinite(x)) {
                throw new DataException(where(i) + ", column '" + column + "': '" + s + "' is not finite");
            }
            v[i] = x;
        }
        return v;
    }

    /** Whether a cell is a missing value: empty, "NA", "NaN", "null" or "None" (any case). */
    public static boolean isMissing(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return s.isEmpty() || l.equals("na") || l.equals("nan") || l.equals("null") || l.equals("none");
    }
}
