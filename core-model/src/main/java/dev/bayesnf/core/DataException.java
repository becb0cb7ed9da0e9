package dev.bayesnf.core;

/**
 * Bad input data: a message that names the source, the row (as a line of the file, header = 1)
 * and the column, for example {@code wind.csv: line 17, column 'latitude': 'abc' is not a number}.
 */
public final class DataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }
}
