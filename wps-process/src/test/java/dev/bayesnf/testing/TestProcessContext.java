package dev.bayesnf.testing;

import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.ProcessContext;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A {@link ProcessContext} for running a process directly in a test, without the job queue: job
 * "job", never cancelled, every output in its default format, each progress message handed to
 * {@code progress}, and any published layer named "layer".
 */
public record TestProcessContext(Path resultDir, ModelStore models, Consumer<String> progress)
        implements ProcessContext {

    /** A context that writes to {@code resultDir}, finds models in {@code models} and drops the progress messages. */
    public TestProcessContext(Path resultDir, ModelStore models) {
        this(resultDir, models, message -> {});
    }

    @Override
    public String jobId() {
        return "job";
    }

    @Override
    public void progress(double percent, String message) {
        progress.accept(message);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public String requestedFormat(String outputId) {
        return null;
    }

    @Override
    public String publishLayer(String title, Path geoTiff) {
        return "layer";
    }
}
