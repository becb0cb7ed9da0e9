package dev.bayesnf.service.process;

/**
 * A format of a complex input or output.
 *
 * @param mimeType media type, e.g. {@code image/tiff}
 * @param encoding null, or {@code base64} for binary data carried inside XML
 * @param binary whether the data is binary (must be base64 when inlined in XML or JSON)
 * @param extension file name extension used when the output is stored, e.g. {@code tif}
 */
public record Format(String mimeType, String encoding, boolean binary, String extension) {

    public static Format text(String mimeType, String extension) {
        return new Format(mimeType, null, false, extension);
    }

    public static Format binary(String mimeType, String extension) {
        return new Format(mimeType, "base64", true, extension);
    }

    /** Whether {@code requested} (as a client wrote it) names this format. */
    public boolean matches(String requested) {
        return requested != null && normalize(requested).equals(normalize(mimeType));
    }

    private static String normalize(String m) {
        return m.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
