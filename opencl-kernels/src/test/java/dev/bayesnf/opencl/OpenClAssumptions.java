package dev.bayesnf.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Test gate for the OpenCL parity tests: without an OpenCL device they are skipped with the reason
 * (visible in the test report), except under CI (environment variable {@code CI} set), where the
 * build installs pocl and a missing device is a failure.
 */
final class OpenClAssumptions {
    private OpenClAssumptions() {}

    static OpenClBackend backend() {
        OpenClBackend b = new OpenClBackend(0);
        b.unavailableReason().ifPresent(reason -> {
            String msg = "OpenCL tests need an OpenCL device: " + reason;
            if (System.getenv("CI") != null) {
                fail(msg + " (CI is set: CI installs pocl, so this is an error)");
            }
            Assumptions.abort(msg);
        });
        return b;
    }
}
