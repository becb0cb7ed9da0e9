/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.feature.type.Name (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/feature/type/Name.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.feature.type;

/** A qualified name: namespace and local part. */
public interface Name {
    boolean isGlobal();

    String getNamespaceURI();

    String getSeparator();

    String getLocalPart();

    String getURI();
}
