/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.feature.simple.SimpleFeatureType (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/feature/simple/SimpleFeatureType.java and type/FeatureType.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.feature.simple;

import java.util.List;
import org.geotools.api.feature.type.AttributeDescriptor;
import org.geotools.api.feature.type.GeometryDescriptor;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;

/** A flat feature type. (getGeometryDescriptor and getCoordinateReferenceSystem come from FeatureType upstream.) */
public interface SimpleFeatureType {
    String getTypeName();

    List<AttributeDescriptor> getAttributeDescriptors();

    GeometryDescriptor getGeometryDescriptor();

    CoordinateReferenceSystem getCoordinateReferenceSystem();
}
