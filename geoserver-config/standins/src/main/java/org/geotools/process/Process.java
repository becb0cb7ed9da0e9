/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.process.Process (checked against geotools/geotools tag 34.5, modules/unsupported/process/src/main/java/org/geotools/process/Process.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.process;

import java.util.Map;
import org.geotools.api.util.ProgressListener;

/** A process: inputs by name in, results by name out. */
public interface Process {
    Map<String, Object> execute(Map<String, Object> input, ProgressListener monitor) throws ProcessException;
}
