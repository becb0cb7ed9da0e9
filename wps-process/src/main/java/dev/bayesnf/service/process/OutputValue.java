package dev.bayesnf.service.process;

import java.nio.file.Path;

/** A value a process produced. */
public sealed interface OutputValue {

    /** A literal value. */
    record Literal(String value) implements OutputValue {}

    /**
     * A document stored in the job's result folder.
     *
     * @param file the stored file
     * @param format its format
     */
    record Document(Path file, Format format) implements OutputValue {}
}
