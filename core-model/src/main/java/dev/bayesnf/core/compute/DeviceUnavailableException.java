package dev.bayesnf.core.compute;

/** A requested compute device exists in name but cannot run here (no driver, no device). */
public final class DeviceUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }
}
