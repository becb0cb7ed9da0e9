/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.feature.NameImpl (checked against geotools/geotools tag 34.5, modules/library/main/src/main/java/org/geotools/feature/NameImpl.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.feature;

import java.util.Objects;
import org.geotools.api.feature.type.Name;

/** A {@link Name}; the separator is ":". (Upstream also implements Serializable and Comparable.) */
public class NameImpl implements Name {
    protected String namespace;
    protected String local;
    private final String separator;

    public NameImpl(String local) {
        this(null, local);
    }

    public NameImpl(String namespace, String local) {
        this(namespace, ":", local);
    }

    public NameImpl(String namespace, String separator, String local) {
        this.namespace = namespace;
        this.separator = separator;
        this.local = local;
    }

    @Override
    public boolean isGlobal() {
        return namespace == null;
    }

    @Override
    public String getSeparator() {
        return separator;
    }

    @Override
    public String getNamespaceURI() {
        return namespace;
    }

    @Override
    public String getLocalPart() {
        return local;
    }

    @Override
    public String getURI() {
        return namespace == null ? local : local == null ? namespace : namespace + separator + local;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(namespace) + 37 * Objects.hashCode(local);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof Name n && Objects.equals(namespace, n.getNamespaceURI())
                && Objects.equals(local, n.getLocalPart());
    }

    @Override
    public String toString() {
        return getURI();
    }
}
