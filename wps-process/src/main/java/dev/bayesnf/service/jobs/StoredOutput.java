package dev.bayesnf.service.jobs;

/**
 * A finished job's output as stored: a literal value, or a document file (relative to the job's
 * result folder) with its media type, size and checksum.
 *
 * @param id output identifier
 * @param literal the literal value, or null for a document
 * @param file document file name inside the job's folder, or null for a literal
 * @param mimeType the document's media type, or null
 * @param binary whether the document is binary
 * @param sha256 the document's SHA-256 when the job finished (hexadecimal), or null (a literal,
 *     or a job stored before checksums)
 * @param size the document's size in bytes when the job finished, or null
 */
public record StoredOutput(String id, String literal, String file, String mimeType, boolean binary, String sha256,
        Long size) {

    /** An output without checksum. */
    public StoredOutput(String id, String literal, String file, String mimeType, boolean binary) {
        this(id, literal, file, mimeType, binary, null, null);
    }
}
