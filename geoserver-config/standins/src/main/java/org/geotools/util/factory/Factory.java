/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.util.factory.Factory (checked against geotools/geotools tag 34.5, modules/library/metadata/src/main/java/org/geotools/util/factory/Factory.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.util.factory;

import java.awt.RenderingHints;
import java.util.Collections;
import java.util.Map;

/** Base of every GeoTools factory. */
public interface Factory {
    default Map<RenderingHints.Key, ?> getImplementationHints() {
        return Collections.emptyMap();
    }
}
