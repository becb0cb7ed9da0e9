/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.util.factory.OptionalFactory (checked against geotools/geotools tag 34.5, modules/library/metadata/src/main/java/org/geotools/util/factory/OptionalFactory.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.util.factory;

/** A factory that may be unavailable at run time. */
public interface OptionalFactory extends Factory {
    boolean isAvailable();
}
