/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.geometry.Bounds (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/geometry/Bounds.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.geometry;

import org.geotools.api.referencing.crs.CoordinateReferenceSystem;

/** An envelope in a CRS, in the CRS's axis order. */
public interface Bounds {
    CoordinateReferenceSystem getCoordinateReferenceSystem();

    int getDimension();

    double getMinimum(int dimension) throws IndexOutOfBoundsException;

    double getMaximum(int dimension) throws IndexOutOfBoundsException;
}
