package dev.bayesnf.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The input features and parameter layout of one BayesNF network (spec §3, §4.1, §4.3).
 *
 * <p>Inputs: a row has D values x (column 0 is the shifted time offset when the model has a
 * time column; the other columns, possibly standardized) and 2J precomputed seasonal values.
 * The network input h⁰ concatenates, in this order, the feature groups
 * <ol>
 *   <li>z = x / (c · e^a) (D values), c = (time scale, 1, …, 1);
 *   <li>per column i with Fourier degree K_i &gt; 0: cos(2π 2^d z_i)/(d+1) for d &lt; K_i, then
 *       the sines;
 *   <li>the seasonal features cos(2π f_j t)/h_j, then the sines (precomputed, see
 *       {@link #seasonalFeatures});
 *   <li>interactions z_a · z_b;
 * </ol>
 * each non-empty group multiplied by softplus(γ_g).
 *
 * <p>Parameters of one particle are one flat {@code float[]} in this order (index formula
 * documented once here and used by every backend): ν, κ, ζ, a[D], γ[G], λ, then for each hidden
 * layer l: W_l (n_l × width, row-major, element [i][j] at {@code weight(l) + i*width + j}),
 * b_l[width], ρ_l; then W_out[width], b_out, ρ_out.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureLayout {
    /** Group kind: the scaled inputs z. */
    public static final int GROUP_LINEAR = 0;
    /** Group kind: Fourier features of one column. */
    public static final int GROUP_FOURIER = 1;
    /** Group kind: seasonal features. */
    public static final int GROUP_SEASONAL = 2;
    /** Group kind: interactions. */
    public static final int GROUP_INTERACTION = 3;

    public static final int NU = 0;
    public static final int KAPPA = 1;
    public static final int ZETA = 2;
    /** Prior location of κ (spec §4.1); every other prior is centred at 0. */
    public static final double KAPPA_PRIOR_LOC = -1.5;

    private final int d;
    private final boolean hasTime;
    private final float timeScale;
    private final int[] fourierDegrees;
    private final double[] seasonalFrequencies;
    private final int[] seasonalHarmonics;
    private final int[][] interactions;
    private final int width;
    private final int depth;

    // Derived.
    private final int inputWidth;
    private final int[] groupKind;
    private final int[] groupColumn;
    private final int[] groupStart;
    private final int[] groupLength;
    private final int aOffset;
    private final int gammaOffset;
    private final int lambdaOffset;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int[] rhoOffset;
    private final int outWeightOffset;
    private final int outBiasOffset;
    private final int outRhoOffset;
    private final int parameterCount;

    /**
     * @param columns number of input columns D (time included when {@code hasTime})
     * @param hasTime whether column 0 is time (its scale is {@code timeScale})
     * @param timeScale t_max - t_min of the training rows (1 when they are all equal)
     * @param fourierDegrees one degree per column (0 skips the column)
     * @param seasonalFrequencies deduplicated frequencies f_j in cycles per time unit
     * @param seasonalHarmonics harmonic number h_j of each frequency (its amplitude divisor)
     * @param interactions pairs of column indices
     * @param width hidden units per layer
     * @param depth number of hidden layers (at least 1)
     */
    public FeatureLayout(int columns, boolean hasTime, double timeScale, int[] fourierDegrees,
            double[] seasonalFrequencies, int[] seasonalHarmonics, int[][] interactions,
            int width, int depth) {
        Checks.ensurePositive("number of feature columns", columns);
        Checks.ensurePositive("width", width);
        Checks.ensurePositive("depth", depth);
        Checks.ensurePositive("time scale", timeScale);
        if (fourierDegrees.length != columns) {
            throw new IllegalArgumentException("fourier degrees: expected " + columns
                    + " values (one per column), got " + fourierDegrees.length);
        }
        if (seasonalFrequencies.length != seasonalHarmonics.length) {
            throw new IllegalArgumentException("seasonal frequencies and harmonics differ in length");
        }
        for (int k : fourierDegrees) {
            Checks.ensureNonNegative("fourier degree", k);
        }
        for (int[] p : interactions) {
            if (p.length != 2 || p[0] < 0 || p[1] < 0 || p[0] >= columns || p[1] >= columns) {
                throw new IllegalArgumentException("interaction " + Arrays.toString(p)
                        + " does not name two of the " + columns + " columns");
            }
        }
        this.d = columns;
        this.hasTime = hasTime;
        this.timeScale = (float) timeScale;
        this.fourierDegrees = fourierDegrees.clone();
        this.seasonalFrequencies = seasonalFrequencies.clone();
        this.seasonalHarmonics = seasonalHarmonics.clone();
        this.interactions = new int[interactions.length][];
        for (int i = 0; i < interactions.length; i++) {
            this.interactions[i] = interactions[i].clone();
        }
        this.width = width;
        this.depth = depth;

        List<int[]> groups = new ArrayList<>();
        int pos = 0;
        groups.add(new int[] {GROUP_LINEAR, -1, pos, d});
        pos += d;
        for (int i = 0; i < d; i++) {
            if (fourierDegrees[i] > 0) {
                groups.add(new int[] {GROUP_FOURIER, i, pos, 2 * fourierDegrees[i]});
                pos += 2 * fourierDegrees[i];
            }
        }
        if (seasonalFrequencies.length > 0) {
            groups.add(new int[] {GROUP_SEASONAL, -1, pos, 2 * seasonalFrequencies.length});
            pos += 2 * seasonalFrequencies.length;
        }
        if (interactions.length > 0) {
            groups.add(new int[] {GROUP_INTERACTION, -1, pos, interactions.length});
            pos += interactions.length;
        }
        this.inputWidth = pos;
        int g = groups.size();
        groupKind = new int[g];
        groupColumn = new int[g];
        groupStart = new int[g];
        groupLength = new int[g];
        for (int i = 0; i < g; i++) {
            int[] e = groups.get(i);
            groupKind[i] = e[0];
            groupColumn[i] = e[1];
            groupStart[i] = e[2];
            groupLength[i] = e[3];
        }
        int off = 3;
        aOffset = off;
        off += d;
        gammaOffset = off;
        off += g;
        lambdaOffset = off;
        off += 1;
        weightOffset = new int[depth];
        biasOffset = new int[depth];
        rhoOffset = new int[depth];
        for (int l = 0; l < depth; l++) {
            weightOffset[l] = off;
            off += layerInputWidth(l) * width;
            biasOffset[l] = off;
            off += width;
            rhoOffset[l] = off;
            off += 1;
        }
        outWeightOffset = off;
        off += width;
        outBiasOffset = off;
        off += 1;
        outRhoOffset = off;
        off += 1;
        parameterCount = off;
    }

    public int columns() {
        return d;
    }

    public boolean hasTime() {
        return hasTime;
    }

    public float timeScale() {
        return timeScale;
    }

    /** Input scale c_i of column i: the time scale for time, 1 otherwise. */
    public float inputScale(int i) {
        return hasTime && i == 0 ? timeScale : 1f;
    }

    public int[] fourierDegrees() {
        return fourierDegrees.clone();
    }

    public int fourierDegree(int column) {
        return fourierDegrees[column];
    }

    public double[] seasonalFrequencies() {
        return seasonalFrequencies.clone();
    }

    public int[] seasonalHarmonics() {
        return seasonalHarmonics.clone();
    }

    /** Number of precomputed seasonal values per row, 2J. */
    public int seasonalWidth() {
        return 2 * seasonalFrequencies.length;
    }

    public int[][] interactions() {
        int[][] c = new int[interactions.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = interactions[i].clone();
        }
        return c;
    }

    public int interactionA(int m) {
        return interactions[m][0];
    }

    public int interactionB(int m) {
        return interactions[m][1];
    }

    public int interactionCount() {
        return interactions.length;
    }

    public int width() {
        return width;
    }

    public int depth() {
        return depth;
    }

    /** F_in, the width of h⁰. */
    public int inputWidth() {
        return inputWidth;
    }

    /** Width of the input of hidden layer l: F_in for l = 0, else width. */
    public int layerInputWidth(int l) {
        return l == 0 ? inputWidth : width;
    }

    public int groupCount() {
        return groupKind.length;
    }

    public int groupKind(int g) {
        return groupKind[g];
    }

    public int groupColumn(int g) {
        return groupColumn[g];
    }

    public int groupStart(int g) {
        return groupStart[g];
    }

    public int groupLength(int g) {
        return groupLength[g];
    }

    public int aOffset() {
        return aOffset;
    }

    public int gammaOffset() {
        return gammaOffset;
    }

    public int lambdaOffset() {
        return lambdaOffset;
    }

    public int weightOffset(int l) {
        return weightOffset[l];
    }

    public int biasOffset(int l) {
        return biasOffset[l];
    }

    public int rhoOffset(int l) {
        return rhoOffset[l];
    }

    public int outWeightOffset() {
        return outWeightOffset;
    }

    public int outBiasOffset() {
        return outBiasOffset;
    }

    public int outRhoOffset() {
        return outRhoOffset;
    }

    /** Number of scalar parameters P of one particle (spec §4.3). */
    public int parameterCount() {
        return parameterCount;
    }

    /** Prior location of parameter element e: -1.5 for κ, 0 otherwise. */
    public double priorLocation(int e) {
        return e == KAPPA ? KAPPA_PRIOR_LOC : 0;
    }

    /** Whether element e belongs to a kernel (a 2-D leaf, initialised by a truncated normal). */
    public boolean isKernel(int e) {
        for (int l = 0; l < depth; l++) {
            if (e >= weightOffset[l] && e < biasOffset[l]) {
                return true;
            }
        }
        return e >= outWeightOffset && e < outBiasOffset;
    }

    /**
     * Writes the 2J seasonal values of raw time offset t: cos(2π f_j t)/h_j for every j, then
     * the sines. Computed in double and rounded once, which is more accurate than the
     * reference's float32 evaluation of 2π f t (spec §12.1); the difference is below 1e-3.
     */
    public void seasonalFeatures(double t, float[] out, int offset) {
        int j = seasonalFrequencies.length;
        for (int i = 0; i < j; i++) {
            double phase = 2 * Math.PI * seasonalFrequencies[i] * t;
            out[offset + i] = (float) (Math.cos(phase) / seasonalHarmonics[i]);
            out[offset + j + i] = (float) (Math.sin(phase) / seasonalHarmonics[i]);
        }
    }

    /**
     * Computes the seasonal frequencies of periods p_k with harmonic counts H_k (spec §3.3):
     * f = h/p for h = 1..H_k, concatenated in order and deduplicated by exact float32 equality,
     * keeping the first occurrence and its harmonic number. Returns {frequencies, harmonics}
     * as a two-element array of double[] and int[] wrapped in {@link Seasonal}.
     *
     * @throws IllegalArgumentException when lengths differ, a period is not positive, a harmonic
     *     count is not positive or exceeds half its period
     */
    public static Seasonal seasonalFrequencies(double[] periods, int[] harmonics) {
        if (periods.length != harmonics.length) {
            throw new IllegalArgumentException("seasonality has " + periods.length
                    + " periods but " + harmonics.length + " harmonic counts");
        }
        List<Double> freqs = new ArrayList<>();
        List<Integer> hs = new ArrayList<>();
        List<Float> seen = new ArrayList<>();
        for (int k = 0; k < periods.length; k++) {
            double p = periods[k];
            if (!(p > 0) || !Double.isFinite(p)) {
                throw new IllegalArgumentException("seasonality period must be positive, got " + p);
            }
            if (harmonics[k] < 1) {
                throw new IllegalArgumentException("number of harmonics for period " + p
                        + " must be at least 1, got " + harmonics[k]);
            }
            if (harmonics[k] > p / 2) {
                throw new IllegalArgumentException("harmonics " + harmonics[k]
                        + " exceed half the seasonal period " + p);
            }
            for (int h = 1; h <= harmonics[k]; h++) {
                float f32 = (float) h / (float) p;
                if (!seen.contains(f32)) {
                    seen.add(f32);
                    freqs.add(h / p);
                    hs.add(h);
                }
            }
        }
        return new Seasonal(freqs.stream().mapToDouble(Double::doubleValue).toArray(),
                hs.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Deduplicated seasonal frequencies (cycles per time unit) and their harmonic numbers. */
    public record Seasonal(double[] frequencies, int[] harmonics) {}
}
