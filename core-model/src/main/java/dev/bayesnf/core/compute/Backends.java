package dev.bayesnf.core.compute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds {@link ComputeBackend}s with {@link ServiceLoader} and picks one for a device request:
 * {@code auto} (the usable backend of highest priority), or a backend id such as {@code java} or
 * {@code opencl} (an optional {@code :N} suffix is passed to that backend's own selection). A
 * named backend that cannot run is an error, never a silent fallback.
 *
 * <p>Thread-safe.
 */
public final class Backends {
    /** System property with the device request of a long-running service (see {@link #configuredRequest}). */
    public static final String DEVICE_PROPERTY = "bayesnf.device";
    /** Environment variable with the device request, when the system property is not set. */
    public static final String DEVICE_ENV = "BAYESNF_DEVICE";

    private Backends() {}

    /**
     * The device request configured for this JVM: system property {@value #DEVICE_PROPERTY}, else
     * environment variable {@value #DEVICE_ENV}, else "auto". The service selects its backend with
     * it; the command line takes {@code --device} instead.
     */
    public static String configuredRequest() {
        String p = System.getProperty(DEVICE_PROPERTY);
        if (p != null && !p.isBlank()) {
            return p.trim();
        }
        String e = System.getenv(DEVICE_ENV);
        return e == null || e.isBlank() ? "auto" : e.trim();
    }

    /** Every backend on the class path, highest priority first. */
    public static List<ComputeBackend> all() {
        List<ComputeBackend> list = loaded();
        list.sort(Comparator.comparingInt(ComputeBackend::priority).reversed());
        return list;
    }

    /** Every backend on the class path, unsorted (a priority may probe devices; a named request needs none). */
    private static List<ComputeBackend> loaded() {
        List<ComputeBackend> list = new ArrayList<>();
        for (ComputeBackend b : ServiceLoader.load(ComputeBackend.class)) {
            list.add(b);
        }
        if (list.stream().noneMatch(b -> b.id().equals("java"))) {
            list.add(new JavaBackend());
        }
        return list;
    }

    /**
     * The backend for a device request ("auto", "java", "opencl", "opencl:1", …).
     *
     * @throws IllegalArgumentException for an unknown backend
     * @throws DeviceUnavailableException when the named backend cannot run here
     */
    public static ComputeBackend select(String request) {
        String req = request == null || request.isBlank() ? "auto" : request.trim().toLowerCase(Locale.ROOT);
        if (req.equals("auto")) {
            for (ComputeBackend b : all()) {
                if (b.unavailableReason().isEmpty()) {
                    return b;
                }
            }
            return new JavaBackend();
        }
        String id = req.contains(":") ? req.substring(0, req.indexOf(':')) : req;
        List<ComputeBackend> all = loaded();
        for (ComputeBackend b : all) {
            if (b.id().equals(id)) {
                ComputeBackend chosen = b.forRequest(req);
                chosen.unavailableReason().ifPresent(reason -> {
                    throw new DeviceUnavailableException("device '" + request + "' cannot run: " + reason);
                });
                return chosen;
            }
        }
        List<String> ids = new ArrayList<>();
        ids.add("auto");
        all.forEach(b -> ids.add(b.id()));
        throw new IllegalArgumentException("unknown device '" + request + "' (available: "
                + String.join(", ", ids) + ")");
    }
}
