package dev.bayesnf.core;

/**
 * Progress and cancellation of a fit. {@link #epoch} is called after every epoch with the mean
 * loss over members; {@link #isCancelled} is polled before every step, and a cancelled fit ends
 * with {@link java.util.concurrent.CancellationException} and no model.
 *
 * <p>Called from the thread that runs the fit.
 */
public interface TrainingListener {
    /** A listener that reports nothing and never cancels. */
    TrainingListener NONE = (epoch, total, loss) -> {};

    /** Called after epoch {@code epoch} (1-based) of {@code total}. */
    void epoch(int epoch, int total, double loss);

    /** Whether the fit should stop now. */
    default boolean isCancelled() {
        return false;
    }
}
