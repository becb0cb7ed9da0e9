package dev.bayesnf.geoserver;

import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.ProcessContext;
import java.nio.file.Path;
import org.geotools.api.util.ProgressListener;
import org.geotools.util.SimpleInternationalString;

/**
 * A GeoTools {@link ProgressListener} as the project's {@link ProcessContext}: progress in percent
 * and its message go to {@code progress} and {@code setTask} (GeoServer shows them in
 * {@code wps:ProcessStarted}), and a dismissed execution ({@code isCanceled}) is the process's
 * cancellation flag, polled between epochs and grid chunks. Layer publishing is not done here:
 * in GeoServer a raster result is published by chaining it into {@code gs:Import}.
 *
 * <p>Not thread-safe beyond what the listener is; one per execution.
 */
final class ListenerContext implements ProcessContext {
    private final String jobId;
    private final Path resultDir;
    private final ProgressListener listener;
    private final ModelStore models;
    private String lastTask;

    ListenerContext(String jobId, Path resultDir, ProgressListener listener, ModelStore models) {
        this.jobId = jobId;
        this.resultDir = resultDir;
        this.listener = listener;
        this.models = models;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public Path resultDir() {
        return resultDir;
    }

    @Override
    public void progress(double percent, String message) {
        if (message != null && !message.equals(lastTask)) {
            lastTask = message;
            listener.setTask(new SimpleInternationalString(message));
        }
        listener.progress((float) Math.max(0, Math.min(100, Double.isNaN(percent) ? 0 : percent)));
    }

    @Override
    public boolean isCancelled() {
        return listener.isCanceled();
    }

    @Override
    public ModelStore models() {
        return models;
    }

    /** Every output in its default format (GeoTIFF, CSV, JSON); GeoServer's PPIOs re-encode. */
    @Override
    public String requestedFormat(String outputId) {
        return null;
    }

    @Override
    public String publishLayer(String title, Path geoTiff) {
        return "";
    }

    /** A listener that ignores everything and is never cancelled, for callers that pass none. */
    static final class Silent implements ProgressListener {
        private org.geotools.api.util.InternationalString task;
        private float progress;
        private boolean canceled;

        @Override
        public org.geotools.api.util.InternationalString getTask() {
            return task;
        }

        @Override
        public void setTask(org.geotools.api.util.InternationalString task) {
            this.task = task;
        }

        @Override
        public void started() {}

        @Override
        public void progress(float percent) {
            progress = percent;
        }

        @Override
        public float getProgress() {
            return progress;
        }

        @Override
        public void complete() {}

        @Override
        public void dispose() {}

        @Override
        public boolean isCanceled() {
            return canceled;
        }

        @Override
        public void setCanceled(boolean cancel) {
            canceled = cancel;
        }

        @Override
        public void warningOccurred(String source, String location, String warning) {}

        @Override
        public void exceptionOccurred(Throwable exception) {}
    }
}
