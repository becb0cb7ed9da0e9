/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.feature.type.GeometryDescriptor (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/feature/type/GeometryDescriptor.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.feature.type;

import org.geotools.api.referencing.crs.CoordinateReferenceSystem;

/** Describes the geometry attribute. */
public interface GeometryDescriptor extends AttributeDescriptor {
    CoordinateReferenceSystem getCoordinateReferenceSystem();
}
