package dev.bayesnf.service.process;

import java.nio.file.Path;

/**
 * What a running process may use: its job id, the folder for its result files, progress
 * reporting and the cancellation flag, and the service's model registry and layer publishing.
 */
public interface ProcessContext {

    String jobId();

    /** Folder for this job's result files (inside the data directory). */
    Path resultDir();

    /** Reports progress in percent (0..100) with a short message. */
    void progress(double percent, String message);

    /** Whether the job was dismissed; long loops check this and stop with {@link java.util.concurrent.CancellationException}. */
    boolean isCancelled();

    /** The models the service knows. */
    ModelStore models();

    /** The media type the client asked for output {@code outputId}, or null for the default. */
    String requestedFormat(String outputId);

    /** Publishes a raster file as a WMS layer and returns the layer name. */
    String publishLayer(String title, Path geoTiff);
}
