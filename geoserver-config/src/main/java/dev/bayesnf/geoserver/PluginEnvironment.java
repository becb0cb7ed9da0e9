package dev.bayesnf.geoserver;

import dev.bayesnf.service.process.ProcessLimits;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the plugin keeps its models and scratch files, and the limits it applies (the service's
 * embedded defaults: rows per input, grid cells x time steps, ensemble x epochs). GeoServer
 * creates the factory through {@code META-INF/services} with no arguments, so the folder comes
 * from, in order: the system property {@code bayesnf.dataDir}, the environment variable
 * {@code BAYESNF_DATA_DIR}, {@code GEOSERVER_DATA_DIR} (system property, then environment) plus
 * {@code /bayesnf}, and finally {@code ~/.bayesnf/geoserver}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param dataDir the folder; models go into {@code models/}, scratch job folders into {@code work/}
 * @param limits what the processes accept (the service's embedded defaults unless given)
 */
public record PluginEnvironment(Path dataDir, ProcessLimits limits) {

    public PluginEnvironment {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The environment for {@code dataDir} with the service's default limits. */
    public static PluginEnvironment at(Path dataDir) {
        return new PluginEnvironment(dataDir, ProcessLimits.defaults());
    }

    /** The environment the JVM's system properties and environment variables name. */
    public static PluginEnvironment fromSystem() {
        return at(resolveDataDir(System::getProperty, System.getenv()));
    }

    static Path resolveDataDir(Function<String, String> properties, Map<String, String> env) {
        String own = firstNonBlank(properties.apply("bayesnf.dataDir"), env.get("BAYESNF_DATA_DIR"));
        if (own != null) {
            return Path.of(own);
        }
        String gs = firstNonBlank(properties.apply("GEOSERVER_DATA_DIR"), env.get("GEOSERVER_DATA_DIR"));
        if (gs != null) {
            return Path.of(gs, "bayesnf");
        }
        return Path.of(properties.apply("user.home"), ".bayesnf", "geoserver");
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    public Path modelDir() {
        return dataDir.resolve("models");
    }

    public Path workDir() {
        return dataDir.resolve("work");
    }
}
