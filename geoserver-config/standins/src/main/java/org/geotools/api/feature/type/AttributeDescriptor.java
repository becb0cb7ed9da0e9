/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.feature.type.AttributeDescriptor (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/feature/type/AttributeDescriptor.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.feature.type;

/** Describes one attribute of a feature type. */
public interface AttributeDescriptor {
    AttributeType getType();

    String getLocalName();
}
