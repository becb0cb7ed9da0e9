/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.feature.type.AttributeType (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/feature/type/AttributeType.java and PropertyType.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.feature.type;

/** The type of an attribute. (getBinding is declared upstream on the parent PropertyType.) */
public interface AttributeType {
    Class<?> getBinding();
}
