/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.util.ProgressListener (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/util/ProgressListener.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.util;

/** Progress and cancellation of a long task; percentages are 0..100. */
public interface ProgressListener {
    InternationalString getTask();

    void setTask(InternationalString task);

    void started();

    void progress(float percent);

    float getProgress();

    void complete();

    void dispose();

    boolean isCanceled();

    void setCanceled(boolean cancel);

    void warningOccurred(String source, String location, String warning);

    void exceptionOccurred(Throwable exception);
}
