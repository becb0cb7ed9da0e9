package dev.bayesnf.core;

/** Version strings recorded in model files and provenance. */
public final class Versions {
    private Versions() {}

    /** This project's version, from the jar manifest when packaged. */
    public static final String PROJECT = projectVersion();

    private static String projectVersion() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
