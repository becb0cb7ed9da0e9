package dev.bayesnf.core;

import dev.bayesnf.core.compute.ComputeBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The defaults of the settings a fit may leave out (network width and depth, ensemble size, batch
 * and epochs), scaled to the data and the device: the one rule that the command line
 * ({@code bayesnf fit}) and the service's Fit process both apply (docs/MODEL.md, "Defaults scaled
 * to the data"). A setting given explicitly always wins; the rule fills in the others.
 *
 * <ul>
 *   <li><b>Batch</b>: the full data up to {@value #MAX_BATCH} rows; above, the rows split evenly into
 *       ceil(N / {@value #MAX_BATCH}) batches (each at most {@value #MAX_BATCH} rows, every row used
 *       in every epoch).
 *   <li><b>Epochs</b>: about {@value #TARGET_STEPS} optimiser steps, i.e. {@value #TARGET_STEPS} /
 *       (steps per epoch) with the batch in use, between {@value #MIN_EPOCHS} and
 *       {@value #MAX_EPOCHS}. With residual kriging the cross-validation then chooses the trend's
 *       epochs among E/16 ... E (early stopping), which is what keeps a small data set from
 *       overfitting.
 *   <li><b>Width</b>: {@value #WIDTH_SMALL} below {@value #SMALL_ROWS} rows, {@value #WIDTH_MEDIUM}
 *       up to {@value #LARGE_ROWS}, and above that {@value #WIDTH_LARGE} on a GPU or accelerator
 *       ({@value #WIDTH_MEDIUM} on CPUs, whose time it would triple).
 *   <li><b>Depth</b>: {@value #DEPTH}.
 *   <li><b>Ensemble</b>: {@value #ENSEMBLE_CPU} particles (or VI surrogates) on CPUs (the Java
 *       backend or an OpenCL CPU driver), {@value #ENSEMBLE_ACCELERATOR} on a GPU or accelerator.
 * </ul>
 *
 * <p>The number of features, the time column and the estimator do not move the choice: they
 * change the cost of a step (the input width, VI's Monte Carlo samples), which the estimate
 * ({@link FitEstimate}) shows, not the number of steps that training needs.
 *
 * <p>Stateless and thread-safe.
 */
public final class FitDefaults {
    /** Largest batch the rule chooses. */
    public static final int MAX_BATCH = 4096;
    /** Optimiser steps the rule aims at. */
    public static final int TARGET_STEPS = 2000;
    /** Fewest epochs the rule chooses (very large data sets). */
    public static final int MIN_EPOCHS = 10;
    /** Most epochs the rule chooses (full-batch data, one step per epoch). */
    public static final int MAX_EPOCHS = 2000;
    /** Below this many rows, width {@value #WIDTH_SMALL}. */
    public static final int SMALL_ROWS = 2000;
    /** Above this many rows, width {@value #WIDTH_LARGE} on an accelerator. */
    public static final int LARGE_ROWS = 50_000;
    public static final int WIDTH_SMALL = 64;
    public static final int WIDTH_MEDIUM = 128;
    public static final int WIDTH_LARGE = 256;
    /** Hidden layers. */
    public static final int DEPTH = 2;
    /** Particles or surrogates on CPUs. */
    public static final int ENSEMBLE_CPU = 16;
    /** Particles or surrogates on a GPU or accelerator. */
    public static final int ENSEMBLE_ACCELERATOR = 64;

    /** Provenance key of the settings that came from the rule (comma-separated, or "none"). */
    public static final String PROVENANCE_SCALED = "defaults.scaled";
    /** Provenance key of the estimate of the fit's seconds made before it started ({@link FitEstimate}). */
    public static final String PROVENANCE_ESTIMATE = "estimate.seconds";

    private FitDefaults() {}

    /**
     * {@code model} with the provenance of its settings: which came from the rule
     * ({@value #PROVENANCE_SCALED}) and, when one was made, the estimate of its time
     * ({@value #PROVENANCE_ESTIMATE}), to set beside {@code training.seconds}.
     */
    public static BayesNFModel recorded(BayesNFModel model, Choice choice, FitEstimate estimate) {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put(PROVENANCE_SCALED, choice.scaled().isEmpty() ? "none" : String.join(",", choice.scaled()));
        if (estimate != null) {
            p.put(PROVENANCE_ESTIMATE, String.format(Locale.ROOT, "%.3f", estimate.seconds()));
        }
        return model.withProvenance(model.provenanceRecord().with(p));
    }

    /** The kind of device a fit runs on, as far as the rule and the estimate care. */
    public enum Device {
        /** The plain-Java backend. */
        JAVA("java"),
        /** OpenCL on a CPU driver (pocl). */
        OPENCL_CPU("opencl (CPU)"),
        /** OpenCL on a GPU or accelerator. */
        ACCELERATOR("opencl (GPU)");

        private final String label;

        Device(String label) {
            this.label = label;
        }

        /** The kind of {@code backend}'s device. */
        public static Device of(ComputeBackend backend) {
            if (backend.accelerator()) {
                return ACCELERATOR;
            }
            return backend.id().equals("java") ? JAVA : OPENCL_CPU;
        }

        /** Whether it is a GPU or accelerator. */
        public boolean accelerator() {
            return this == ACCELERATOR;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * The settings as given: each null when left to the rule.
     *
     * @param batch rows per step, 0 for the full data
     */
    public record Given(Integer width, Integer depth, Integer ensemble, Integer batch, Integer epochs) {
        /** Nothing given: every setting from the rule. */
        public static Given none() {
            return new Given(null, null, null, null, null);
        }
    }

    /**
     * The settings a fit uses.
     *
     * @param batch rows per step, 0 for the full data
     * @param scaled the settings that came from the rule ("width", "depth", "ensemble", "batch",
     *     "epochs"), in that order; empty when every one was given
     */
    public record Choice(int width, int depth, int ensemble, int batch, int epochs, List<String> scaled) {
        public Choice {
            scaled = List.copyOf(scaled);
        }

        /** E.g. "width 64, depth 2, 16 particles, batch full, 2000 epochs". */
        public String describe() {
            return String.format(Locale.ROOT, "width %d, depth %d, %d particles, batch %s, %d epochs", width, depth,
                    ensemble, batch == 0 ? "full" : Integer.toString(batch), epochs);
        }

        /** E.g. "scaled to the data: width, ensemble, batch, epochs", or "as given". */
        public String source() {
            return scaled.isEmpty() ? "as given" : scaled.size() == 5 ? "defaults scaled to the data"
                    : "scaled to the data: " + String.join(", ", scaled);
        }

        /** {@code base} with this choice's ensemble, batch and epochs. */
        public TrainConfig apply(TrainConfig base) {
            return base.withEnsemble(ensemble).withBatch(batch).withEpochs(epochs);
        }
    }

    /**
     * The rule's choice for every setting.
     *
     * @param rows training rows (rows with a target, after missing values were handled)
     * @param features feature columns (besides time)
     * @param time whether the model has a time column
     */
    public static Choice choose(int rows, int features, boolean time, Estimator estimator, Device device) {
        return resolve(Given.none(), rows, features, time, estimator, device);
    }

    /**
     * The settings given, and the rule's choice for the others. The epochs follow the batch in use,
     * given or chosen.
     */
    public static Choice resolve(Given given, int rows, int features, boolean time, Estimator estimator,
            Device device) {
        Checks.ensureNonNegative("rows", rows);
        Checks.ensureNonNegative("features", features);
        if (estimator == null || device == null) {
            throw new IllegalArgumentException("the estimator and the device are required");
        }
        List<String> scaled = new ArrayList<>();
        int width = given.width() != null ? given.width() : note(scaled, "width", width(rows, device));
        int depth = given.depth() != null ? given.depth() : note(scaled, "depth", DEPTH);
        int ensemble = given.ensemble() != null ? given.ensemble()
                : note(scaled, "ensemble", device.accelerator() ? ENSEMBLE_ACCELERATOR : ENSEMBLE_CPU);
        int batch = given.batch() != null ? given.batch() : note(scaled, "batch", batch(rows));
        int epochs = given.epochs() != null ? given.epochs() : note(scaled, "epochs", epochs(rows, batch));
        return new Choice(width, depth, ensemble, batch, epochs, scaled);
    }

    private static int note(List<String> scaled, String name, int value) {
        scaled.add(name);
        return value;
    }

    /** The rule's width for {@code rows} on {@code device}. */
    static int width(int rows, Device device) {
        if (rows < SMALL_ROWS) {
            return WIDTH_SMALL;
        }
        return rows > LARGE_ROWS && device.accelerator() ? WIDTH_LARGE : WIDTH_MEDIUM;
    }

    /** The rule's batch for {@code rows}: 0 (full) up to {@value #MAX_BATCH}, else an even split. */
    static int batch(int rows) {
        if (rows <= MAX_BATCH) {
            return 0;
        }
        int batches = (rows + MAX_BATCH - 1) / MAX_BATCH;
        return rows / batches;
    }

    /** Optimiser steps per epoch for {@code rows} at {@code batch} (0: full): floor(rows / batch). */
    public static int stepsPerEpoch(int rows, int batch) {
        if (rows <= 0) {
            return 1;
        }
        return batch <= 0 || batch >= rows ? 1 : rows / batch;
    }

    /** The rule's epochs: {@value #TARGET_STEPS} steps at {@code batch}, clamped. */
    static int epochs(int rows, int batch) {
        long e = Math.round((double) TARGET_STEPS / stepsPerEpoch(rows, batch));
        return (int) Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, e));
    }
}
