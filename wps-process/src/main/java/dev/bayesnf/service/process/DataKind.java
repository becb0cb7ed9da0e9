package dev.bayesnf.service.process;

/** The three kinds of process inputs and outputs WPS 1.0.0 and OGC API - Processes know. */
public enum DataKind {
    /** A single value (text, number, boolean, date-time). */
    LITERAL,
    /** A document: CSV, GeoJSON, GeoTIFF, JSON, a model file. */
    COMPLEX,
    /** A bounding box with its CRS. */
    BBOX
}
