/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.data.simple.SimpleFeatureIterator (checked against geotools/geotools tag 34.5, modules/library/main/src/main/java/org/geotools/data/simple/SimpleFeatureIterator.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.data.simple;

import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.feature.FeatureIterator;

/** Iterates over simple features. */
public interface SimpleFeatureIterator extends FeatureIterator<SimpleFeature> {}
