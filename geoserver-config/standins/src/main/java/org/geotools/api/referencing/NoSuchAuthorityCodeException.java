/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.referencing.NoSuchAuthorityCodeException (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/referencing/NoSuchAuthorityCodeException.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.referencing;

/** An authority code is unknown. */
public class NoSuchAuthorityCodeException extends FactoryException {
    private static final long serialVersionUID = 1L;

    public NoSuchAuthorityCodeException(String message, String authority, String code) {
        super(message);
    }
}
