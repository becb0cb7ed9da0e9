package dev.bayesnf.service.geo;

/** A coordinate reference system code that is malformed or not supported. */
public final class UnknownCrsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownCrsException(String message) {
        super(message);
    }
}
