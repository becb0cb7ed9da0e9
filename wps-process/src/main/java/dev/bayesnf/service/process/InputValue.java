package dev.bayesnf.service.process;

/**
 * A value given for a process input, after the front end has parsed it. Documents given by
 * reference stay {@link Reference}s until the job runs and fetches them
 * ({@link ProcessInputs#resolved}).
 */
public sealed interface InputValue {

    /** A literal as text. */
    record Literal(String value) implements InputValue {}

    /**
     * A document.
     *
     * @param data the bytes (decoded if they came base64-encoded)
     * @param mimeType the declared media type, or null
     */
    record Complex(byte[] data, String mimeType) implements InputValue {}

    /**
     * A bounding box: lower and upper corners as written by the client, in the axis order of
     * {@code crs} when it is latitude-first (the front end records {@code northingFirst}).
     */
    record BoundingBox(String crs, double[] lower, double[] upper) implements InputValue {}

    /**
     * A document to fetch from {@code href} when the job runs (checked against the allow-list
     * when the request is read, {@link ReferenceFetcher#reference}).
     *
     * @param mimeType the declared media type, or null
     * @param body the body to POST (WPS {@code wps:Body}), or null for GET
     */
    record Reference(String href, String mimeType, byte[] body) implements InputValue {}
}
