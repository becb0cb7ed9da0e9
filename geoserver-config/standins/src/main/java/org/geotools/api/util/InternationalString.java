/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.util.InternationalString (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/util/InternationalString.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.util;

import java.util.Locale;

/** Text that can be localised. */
public interface InternationalString extends CharSequence, Comparable<InternationalString> {
    String toString(Locale locale);

    @Override
    String toString();
}
