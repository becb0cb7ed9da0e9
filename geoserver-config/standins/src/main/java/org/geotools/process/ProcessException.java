/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.process.ProcessException (checked against geotools/geotools tag 34.5, modules/unsupported/process/src/main/java/org/geotools/process/ProcessException.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.process;

/** A process failed. */
public class ProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcessException(Throwable cause) {
        super(cause);
    }

    public ProcessException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProcessException(String message) {
        super(message);
    }
}
