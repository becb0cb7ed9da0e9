/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.process.ProcessFactory (checked against geotools/geotools tag 34.5, modules/unsupported/process/src/main/java/org/geotools/process/ProcessFactory.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.process;

import java.util.Map;
import java.util.Set;
import org.geotools.api.data.Parameter;
import org.geotools.api.feature.type.Name;
import org.geotools.api.util.InternationalString;
import org.geotools.util.factory.OptionalFactory;

/** Describes and creates the processes of one namespace; found through META-INF/services. */
public interface ProcessFactory extends OptionalFactory {
    InternationalString getTitle();

    Set<Name> getNames();

    InternationalString getTitle(Name name);

    InternationalString getDescription(Name name);

    Map<String, Parameter<?>> getParameterInfo(Name name);

    Process create(Name name);

    Map<String, Parameter<?>> getResultInfo(Name name, Map<String, Object> parameters) throws IllegalArgumentException;

    boolean supportsProgress(Name name);

    String getVersion(Name name);
}
