package dev.bayesnf.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the model is: the columns and their roles, the feature engineering and the network
 * (spec §1.1). Interactions are named by column (upstream issue #32); seasonality periods are
 * numbers in time steps or frequency aliases (h, D, W, M, Q, Y) converted by the reference's HEAD
 * rule (year-start anchor, spec §2.5).
 *
 * @param target the observed column
 * @param time the time column, or null for purely spatial data
 * @param freq the time column's calendar frequency, or null when it is numeric
 * @param features the spatial and covariate columns (everything but time), in order
 * @param standardize columns (among {@code features}) to z-score with training statistics
 * @param seasonality seasonal periods as given (numbers or aliases); empty for none
 * @param harmonics harmonic counts, one per period; empty means 1 each (forced to 1 for numeric
 *     time, as in the reference)
 * @param fourierDegrees Fourier degree per column (time first when present); empty means 5 each
 * @param interactions pairs of column names (time included)
 * @param width hidden units per layer
 * @param depth hidden layers
 * @param likelihood observation model
 * @param targetScaling how the target is transformed for training ({@link TargetScaling#NONE}
 *     for count likelihoods)
 */
public record ModelSpec(String target, String time, Frequency freq, List<String> features,
        List<String> standardize, List<String> seasonality, List<Integer> harmonics,
        List<Integer> fourierDegrees, List<List<String>> interactions, int width, int depth,
        ObservationModel likelihood, TargetScaling targetScaling) {

    /** The reference's default Fourier degree. */
    public static final int DEFAULT_FOURIER_DEGREE = 5;

    /**
     * This project's default Fourier degree of the spatial coordinate columns of a purely spatial
     * model (a departure from the reference, docs/MODEL.md): per-axis Fourier features of
     * standardized coordinates paint stripes along the axes and a tartan pattern into maps and
     * their uncertainty, and did not predict better where measured (meuse, a simulated isotropic
     * field). Models with time keep the reference's degree: there the features let the network
     * tell a station's own level from its history (chickenpox split 8 predicted much worse without
     * them, docs/BENCHMARKS.md).
     */
    public static final int DEFAULT_COORDINATE_FOURIER_DEGREE = 0;

    public ModelSpec {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("the target column is required");
        }
        features = List.copyOf(features == null ? List.of() : features);
        standardize = List.copyOf(standardize == null ? List.of() : standardize);
        seasonality = List.copyOf(seasonality == null ? List.of() : seasonality);
        harmonics = List.copyOf(harmonics == null ? List.of() : harmonics);
        fourierDegrees = List.copyOf(fourierDegrees == null ? List.of() : fourierDegrees);
        List<List<String>> pairs = new ArrayList<>();
        for (List<String> p : interactions == null ? List.<List<String>>of() : interactions) {
            pairs.add(List.copyOf(p));
        }
        interactions = List.copyOf(pairs);
        if (likelihood == null) {
            likelihood = ObservationModel.NORMAL;
        }
        if (targetScaling == null) {
            targetScaling = TargetScaling.NONE;
        }
        if (likelihood.isCount() && targetScaling != TargetScaling.NONE) {
            throw new IllegalArgumentException("target scaling '" + targetScaling.id() + "' applies to the normal"
                    + " likelihood only; the " + likelihood.name().toLowerCase(java.util.Locale.ROOT)
                    + " likelihood models counts as they are (use target scaling none)");
        }
        Checks.ensurePositive("width", width);
        Checks.ensurePositive("depth", depth);
        if (time == null && freq != null) {
            throw new IllegalArgumentException("a frequency was given but no time column");
        }
        if (time == null && features.isEmpty()) {
            throw new IllegalArgumentException("give at least one feature column or a time column");
        }
        if (time != null && time.equals(target)) {
            throw new IllegalArgumentException("the target column '" + target + "' cannot be the time column");
        }
        List<String> cols = new ArrayList<>();
        if (time != null) {
            cols.add(time);
        }
        for (String f : features) {
            if (f.equals(time)) {
                throw new IllegalArgumentException("column '" + f + "' is the time column; it cannot also be a feature");
            }
            if (cols.contains(f)) {
                throw new IllegalArgumentException("column '" + f + "' is listed twice among the features");
            }
            if (f.equals(target)) {
                throw new IllegalArgumentException("the target column '" + f + "' cannot be a feature");
            }
            cols.add(f);
        }
        for (String s : standardize) {
            if (s.equals(time)) {
                throw new IllegalArgumentException("the time column '" + s + "' cannot be standardized");
            }
            if (!features.contains(s)) {
                throw new IllegalArgumentException("cannot standardize '" + s + "': it is not a feature column");
            }
        }
        if (!fourierDegrees.isEmpty() && fourierDegrees.size() != cols.size()) {
            throw new SettingException(Setting.FOURIER_DEGREES, SettingException.NAME + " needs " + cols.size()
                    + " values (one per column: " + String.join(", ", cols) + "), got " + fourierDegrees.size());
        }
        for (Integer k : fourierDegrees) {
            if (k < 0) {
                throw new IllegalArgumentException("Fourier degree must not be negative, got " + k);
            }
        }
        for (List<String> p : interactions) {
            if (p.size() != 2) {
                throw new IllegalArgumentException("an interaction names two columns, got " + p);
            }
            for (String c : p) {
                if (!cols.contains(c)) {
                    throw new IllegalArgumentException("interaction " + p.get(0) + ":" + p.get(1)
                            + " names '" + c + "', which is not a feature or time column");
                }
            }
        }
        if (!seasonality.isEmpty() && time == null) {
            throw new IllegalArgumentException("seasonality needs a time column");
        }
        if (!harmonics.isEmpty() && harmonics.size() != seasonality.size()) {
            throw new SettingException(Setting.HARMONICS, SettingException.NAME + " needs one count per seasonality"
                    + " period (" + seasonality.size() + "), got " + harmonics.size());
        }
        for (String s : seasonality) {
            if (!Frequency.isAlias(s)) {
                try {
                    Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("seasonality period '" + s
                            + "' is neither a number nor one of h, D, W, M, Q, Y", e);
                }
            } else if (freq == null) {
                throw new SettingException(Setting.FREQ, "seasonality period '" + s
                        + "' is a calendar alias, which needs " + SettingException.NAME);
            }
        }
    }

    /**
     * A spec with the target as it is ({@link TargetScaling#NONE}), as the reference models it
     * and as models of format version 1 were fitted.
     */
    public ModelSpec(String target, String time, Frequency freq, List<String> features, List<String> standardize,
            List<String> seasonality, List<Integer> harmonics, List<Integer> fourierDegrees,
            List<List<String>> interactions, int width, int depth, ObservationModel likelihood) {
        this(target, time, freq, features, standardize, seasonality, harmonics, fourierDegrees, interactions, width,
                depth, likelihood, TargetScaling.NONE);
    }

    /**
     * This spec with explicit Fourier degrees when none were given and it has no time column:
     * {@link #DEFAULT_COORDINATE_FOURIER_DEGREE} for the coordinate columns {@code x} and
     * {@code y}, the reference's {@link #DEFAULT_FOURIER_DEGREE} for the other features.
     * Unchanged when degrees were given or when it has time.
     */
    public ModelSpec withCoordinateFourierDefault(String x, String y) {
        if (!fourierDegrees.isEmpty() || time != null) {
            return this;
        }
        List<Integer> d = new ArrayList<>();
        for (String c : columns()) {
            d.add(c.equals(x) || c.equals(y) ? DEFAULT_COORDINATE_FOURIER_DEGREE : DEFAULT_FOURIER_DEGREE);
        }
        return new ModelSpec(target, time, freq, features, standardize, seasonality, harmonics, d, interactions,
                width, depth, likelihood, targetScaling);
    }

    /** This spec with another network: {@code width} hidden units in each of {@code depth} layers. */
    public ModelSpec withNetwork(int width, int depth) {
        return new ModelSpec(target, time, freq, features, standardize, seasonality, harmonics, fourierDegrees,
                interactions, width, depth, likelihood, targetScaling);
    }

    /** This spec with another target scaling. */
    public ModelSpec withTargetScaling(TargetScaling scaling) {
        return new ModelSpec(target, time, freq, features, standardize, seasonality, harmonics, fourierDegrees,
                interactions, width, depth, likelihood, scaling);
    }

    /** The input columns in model order: time (if any) then the features. */
    public List<String> columns() {
        List<String> cols = new ArrayList<>();
        if (time != null) {
            cols.add(time);
        }
        cols.addAll(features);
        return cols;
    }

    /** Seasonal periods in time steps (aliases converted with {@link Frequency#seasonLength}). */
    public double[] seasonalPeriods() {
        double[] p = new double[seasonality.size()];
        for (int i = 0; i < p.length; i++) {
            String s = seasonality.get(i);
            p[i] = Frequency.isAlias(s) ? freq.seasonLength(Frequency.parse(s)) : Double.parseDouble(s);
            if (freq != null && p[i] < 1) {
                throw new IllegalArgumentException("seasonality period " + s + " is shorter than one time step");
            }
        }
        return p;
    }

    /** Harmonic counts used: as given, 1 each when not given, and 1 each for numeric time. */
    public int[] seasonalHarmonics() {
        int[] h = new int[seasonality.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = harmonics.isEmpty() || freq == null ? 1 : harmonics.get(i);
        }
        return h;
    }

    /** Fourier degree per model column. */
    public int[] fourierDegreeArray() {
        int n = columns().size();
        int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            k[i] = fourierDegrees.isEmpty() ? DEFAULT_FOURIER_DEGREE : fourierDegrees.get(i);
        }
        return k;
    }

    /** Interactions as column indices into {@link #columns()}. */
    public int[][] interactionIndices() {
        List<String> cols = columns();
        int[][] r = new int[interactions.size()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = new int[] {cols.indexOf(interactions.get(i).get(0)), cols.indexOf(interactions.get(i).get(1))};
        }
        return r;
    }

    /** The network layout for data statistics {@code stats}. */
    public FeatureLayout layout(TrainingStatistics stats) {
        FeatureLayout.Seasonal s = FeatureLayout.seasonalFrequencies(seasonalPeriods(), seasonalHarmonics());
        return new FeatureLayout(columns().size(), time != null, stats.timeScale(), fourierDegreeArray(),
                s.frequencies(), s.harmonics(), interactionIndices(), width, depth);
    }
}
