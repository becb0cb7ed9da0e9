package dev.bayesnf.service.jobs;

/**
 * A finished job's output as stored: a literal value, or a document file (relative to the job's
 * result folder) with its media type.
 *
 * @param id output identifier
 * @param literal the literal value, or null for a document
 * @param file document file name inside the job's folder, or null for a literal
 * @param mimeType the document's media type, or null
 * @param binary whether the document is binary
 */
public record StoredOutput(String id, String literal, String file, String mimeType, boolean binary) {}
