/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.feature.simple.SimpleFeature (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/feature/simple/SimpleFeature.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.feature.simple;

/** A flat feature. */
public interface SimpleFeature {
    String getID();

    SimpleFeatureType getFeatureType();

    Object getAttribute(String name);

    Object getDefaultGeometry();
}
