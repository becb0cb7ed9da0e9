package dev.bayesnf.core;

import java.io.IOException;

/** A model file that cannot be read: not a model, another format version, or damaged. */
public final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }
}
