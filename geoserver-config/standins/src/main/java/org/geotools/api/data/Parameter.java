/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.data.Parameter (checked against geotools/geotools tag 34.5, modules/library/main/src/main/java/org/geotools/api/data/Parameter.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.data;

import java.util.Collections;
import java.util.Map;
import org.geotools.api.util.InternationalString;

/** Describes a process input or output (or a data store parameter). */
public class Parameter<T> {
    public static final String OPTIONS = "options";
    public static final String MIN = "min";
    public static final String MAX = "max";
    public static final String CRS = "crs";

    public final String key;
    public final InternationalString title;
    public final InternationalString description;
    public final Class<T> type;
    public final boolean required;
    public final int minOccurs;
    public final int maxOccurs;
    public final T sample;
    public final Map<String, Object> metadata;

    public Parameter(String key, Class<T> type, InternationalString title, InternationalString description,
            boolean required, int min, int max, T sample, Map<String, Object> metadata) {
        this.key = key;
        this.title = title;
        this.type = type;
        this.description = description;
        this.required = required;
        this.minOccurs = min;
        this.maxOccurs = max;
        this.sample = sample;
        this.metadata = metadata == null ? Collections.emptyMap() : Collections.unmodifiableMap(metadata);
    }

    public String getName() {
        return key;
    }

    public Class<T> getType() {
        return type;
    }

    public int getMinOccurs() {
        return minOccurs;
    }

    public int getMaxOccurs() {
        return maxOccurs;
    }

    public T getDefaultValue() {
        return sample;
    }
}
