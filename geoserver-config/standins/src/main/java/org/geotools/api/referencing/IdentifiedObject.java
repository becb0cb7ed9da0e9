/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.referencing.IdentifiedObject (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/referencing/IdentifiedObject.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.referencing;

/** An object with identifiers (upstream declares getName, getIdentifiers, ...; unused here). */
public interface IdentifiedObject {
    String toWKT() throws UnsupportedOperationException;
}
