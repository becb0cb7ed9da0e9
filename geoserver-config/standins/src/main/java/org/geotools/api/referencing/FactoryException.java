/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.referencing.FactoryException (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/referencing/FactoryException.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.referencing;

/** A factory could not create an object. */
public class FactoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public FactoryException() {}

    public FactoryException(String message) {
        super(message);
    }

    public FactoryException(Exception cause) {
        super(cause);
    }

    public FactoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
