/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.data.simple.SimpleFeatureCollection (checked against geotools/geotools tag 34.5, modules/library/main/src/main/java/org/geotools/data/simple/SimpleFeatureCollection.java and ../../feature/FeatureCollection.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.data.simple;

import org.geotools.api.feature.simple.SimpleFeatureType;

/** A collection of simple features. (Upstream extends FeatureCollection, which declares getSchema and size.) */
public interface SimpleFeatureCollection {
    SimpleFeatureIterator features();

    SimpleFeatureType getSchema();

    int size();
}
