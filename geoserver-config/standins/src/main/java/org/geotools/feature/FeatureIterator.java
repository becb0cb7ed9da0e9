/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.feature.FeatureIterator (checked against geotools/geotools tag 34.5, modules/library/main/src/main/java/org/geotools/feature/FeatureIterator.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.feature;

import java.io.Closeable;

/** Iterates over features; must be closed. (Upstream bounds F by Feature.) */
public interface FeatureIterator<F> extends Closeable {
    boolean hasNext();

    F next() throws java.util.NoSuchElementException;

    @Override
    void close();
}
