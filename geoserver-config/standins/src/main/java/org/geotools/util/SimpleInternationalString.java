/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.util.SimpleInternationalString (checked against geotools/geotools tag 34.5, modules/library/metadata/src/main/java/org/geotools/util/SimpleInternationalString.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.util;

import java.util.Locale;
import org.geotools.api.util.InternationalString;

/** A string that is the same in every locale. (Upstream extends AbstractInternationalString.) */
public class SimpleInternationalString implements InternationalString {
    private final String message;

    public SimpleInternationalString(final String message) {
        this.message = message;
    }

    @Override
    public String toString(final Locale locale) {
        return message;
    }

    @Override
    public String toString() {
        return message;
    }

    @Override
    public int length() {
        return message.length();
    }

    @Override
    public char charAt(int index) {
        return message.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return message.subSequence(start, end);
    }

    @Override
    public int compareTo(InternationalString o) {
        return message.compareTo(o.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimpleInternationalString s && s.message.equals(message);
    }

    @Override
    public int hashCode() {
        return message.hashCode();
    }
}
