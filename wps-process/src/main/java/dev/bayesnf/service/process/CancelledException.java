package dev.bayesnf.service.process;

/** Thrown inside a process when its job was dismissed. */
public final class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("the job was dismissed");
    }
}
