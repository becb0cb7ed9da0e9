package dev.bayesnf.cli;

import dev.bayesnf.core.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on standard error: a progress bar (epoch, loss, time left) on an interactive
 * terminal, plain periodic lines otherwise, nothing with {@code --quiet}.
 */
class Progress implements TrainingListener, AutoCloseable {
    private final String task;
    private final boolean quiet;
    private final boolean terminal;
    private final PrintStream err = System.err;
    private final long start = System.nanoTime();
    private long lastLine;
    private ProgressBar bar;

    Progress(String task, boolean quiet, boolean terminal) {
        this.task = task;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    static Progress create(String task, boolean quiet) {
        return new Progress(task, quiet, System.console() != null && System.getenv("CI") == null);
    }

    void info(String line) {
        if (!quiet) {
            err.println(line);
        }
    }

    @Override
    public void epoch(int epoch, int total, double loss) {
        if (quiet) {
            return;
        }
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                        .build();
            }
            bar.stepTo(epoch);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4g", loss));
            return;
        }
        long now = System.nanoTime();
        if (epoch == 1 || epoch == total || now - lastLine > 5_000_000_000L) {
            lastLine = now;
            double secs = (now - start) / 1e9;
            double left = secs / epoch * (total - epoch);
            err.printf(Locale.ROOT, "%s: epoch %d/%d loss %.6g elapsed %.1fs left %.1fs%n", task, epoch, total,
                    loss, secs, left);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
