package dev.bayesnf.opencl;

import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.NeuralFieldMath;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.CounterNormal;
import dev.bayesnf.core.compute.Objective;

/**
 * Host side of {@link NetworkKernel}: owns its device buffers and runs the passes of a forward
 * pass (prediction) or of a whole training step (forward, likelihood, backward, prior, Adam) for
 * K members at once: point estimates (MAP, MLE) or VI surrogates, NORMAL, NB or ZINB.
 *
 * <p>Rows are processed in chunks of at most {@link #chunkRows()} rows per member so that the
 * activation buffer stays below {@code maxActivationFloats}; gradients accumulate over chunks on
 * the device.
 *
 * <p>Every pass must run as OpenCL: a kernel that Aparapi could not translate (and would run in
 * its Java thread pool) raises {@link IllegalStateException} instead of running silently slowly.
 *
 * <p>Not thread-safe.
 */
final class DeviceNetwork implements AutoCloseable {
    /** Default cap on the activation buffer: 2^26 floats (256 MiB). */
    static final long DEFAULT_MAX_ACTIVATION_FLOATS = 1L << 26;
    private static final int LOCAL = 64;
    /** Quantile levels one summary pass computes; more are done in groups. */
    static final int MAX_LEVELS = 16;
    /** Work-group extent along the contiguous dimension of multi-dimensional passes (one AVX-512 vector). */
    private static final int VEC = 16;
    private static final int T = GpuNetworkKernel.TILE;
    /**
     * System property choosing the form of the heavy passes: "gpu" (one work-item per output
     * element, matrix products tiled through local memory; the default on GPUs and accelerators)
     * or "cpu" (one work-item per row, contiguous inner loops that a CPU driver vectorises inside
     * the work-item; the default on CPU drivers). Both give the same results up to float rounding.
     */
    static final String FORM_PROPERTY = "bayesnf.opencl.form";
    /** Pass names by mode number (profiles and messages). */
    static final String[] MODE_NAMES = {"", "gemm", "features", "activation", "output", "back-activation",
        "back-features", "reduce", "finish-gradient", "loss", "adam", "zero", "scalars", "gemm-axpy", "layer-sums",
        "transpose", "layer-sums-rows", "vi-zero", "vi-sample",
        "vi-accumulate", "vi-loss", "vi-finish", "adam-vi", "summary", "prior", "transpose-rows"};

    private final OpenCLDevice device;
    private final FeatureLayout layout;
    private final NetworkKernel kern;
    private final int members;
    private final int p;
    private final int width;
    private final int depth;
    private final int fin;
    /** Row stride of dL/dh⁰ and of W_0ᵀ: fin rounded up to a multiple of 8 (see {@link #inStride}). */
    private final int finS;
    private final int bc;
    /** Table rows loaded: the training table, or the rows of the last {@link #loadRows} call. */
    private int dataRows;
    /** Table rows the device buffers hold. */
    private final int capacity;
    private final int[] uOffs;
    private final int[] hOffs;
    private final int[] wtOffs;
    private final boolean training;
    /** VI Monte Carlo samples per step; 0 for point estimates. */
    private final int viSamples;
    /** Whether the passes take the GPU form ({@link #FORM_PROPERTY}). */
    private final boolean tiled;
    /**
     * System property that, when "true", times every pass (host wall clock around each synchronous
     * execute) and prints the totals to standard error when the network is closed.
     */
    static final String PROFILE_PROPERTY = "bayesnf.opencl.profile";

    /** One bit per table row, clear between uses ({@link #putSorted}). */
    private long[] rowBits;

    /** When not null, accumulated nanoseconds and calls per pass name. */
    java.util.Map<String, long[]> profile;

    /**
     * A training network over the table (x, seasonal, y), resident on the device.
     *
     * @param likelihood the observation model of the training loss
     * @param viSamples VI Monte Carlo samples per step, or 0 for point estimates
     */
    DeviceNetwork(OpenCLDevice device, FeatureLayout layout, int members, ObservationModel likelihood,
            int viSamples, float[][] x, float[][] seasonal, float[] y, long maxActivationFloats) {
        this(device, layout, members, likelihood, viSamples, x, seasonal, y, true, maxActivationFloats, x.length);
    }

    /**
     * A prediction network whose table holds up to {@code capacity} rows, loaded call by call
     * ({@link #loadRows}); chunks of at most {@code capacity} rows per member go through the
     * activation buffer at once when {@code maxActivationFloats} allows.
     */
    static DeviceNetwork forPrediction(OpenCLDevice device, FeatureLayout layout, int members, int capacity,
            long maxActivationFloats) {
        return new DeviceNetwork(device, layout, members, ObservationModel.NORMAL, 0, new float[0][],
                new float[0][], null, false, maxActivationFloats, capacity);
    }

    private DeviceNetwork(OpenCLDevice device, FeatureLayout layout, int members, ObservationModel likelihood,
            int viSamples, float[][] x, float[][] seasonal, float[] y, boolean training, long maxActivationFloats,
            int capacity) {
        this.device = device;
        this.layout = layout;
        this.members = members;
        this.p = layout.parameterCount();
        this.width = layout.width();
        this.depth = layout.depth();
        this.fin = layout.inputWidth();
        this.finS = (fin + 7) & ~7;
        this.training = training;
        this.viSamples = viSamples;
        this.dataRows = x.length;
        this.capacity = Math.max(x.length, capacity);
        int stateLen = viSamples > 0 ? 2 * p : p;
        int d = layout.columns();
        int s = layout.seasonalWidth();
        int g = layout.groupCount();
        int ni = layout.interactionCount();
        String form = System.getProperty(FORM_PROPERTY, "");
        // the GPU form's products run T x T work-groups: a device that cannot (a few embedded
        // GPUs cap work-groups below 256) gets the CPU form, which runs anywhere
        boolean groupsFit = device.getMaxWorkGroupSize() >= T * T;
        if (form.equals("gpu") && !groupsFit) {
            throw new IllegalStateException(device.getShortDescription() + " runs work-groups of at most "
                    + device.getMaxWorkGroupSize() + " work-items; the GPU form of the kernels needs " + T * T);
        }
        this.tiled = groupsFit && (form.equals("gpu") || (!form.equals("cpu") && OpenClDevices.isGpu(device)));
        // the CPU form's back-activation partial sums: 4 W floats per block of GEMM_ROWS rows
        long partPerRow = training && !tiled
                ? (4L * width + CpuNetworkKernel.GEMM_ROWS - 1) / CpuNetworkKernel.GEMM_ROWS : 0;
        long perRow = fin + 2L * depth * width + (training ? 2L * width + finS + 1 + partPerRow : 0);
        long cap = Math.max(1, maxActivationFloats / (members * perRow));
        this.bc = (int) Math.max(1, Math.min(Math.max(1, this.capacity), cap));
        NetworkKernel k = tiled ? new GpuNetworkKernel() : new CpuNetworkKernel();
        k.memberCount = members;
        k.paramCount = p;
        k.columnCount = d;
        k.seasonalWidth = s;
        k.featureCount = fin;
        k.featureStride = finS;
        k.width = width;
        k.depth = depth;
        k.groupCount = g;
        k.interactionCount = ni;
        k.firstGroupSlot = NetworkKernel.S_FIXED;
        k.firstLogScaleSlot = k.firstGroupSlot + g;
        k.slotCount = k.firstLogScaleSlot + d;
        k.chunkRows = bc;
        k.training = training ? 1 : 0;
        k.likelihood = likelihoodCode(likelihood);
        k.sampleCount = Math.max(1, viSamples);
        k.logScaleOffset = layout.aOffset();
        k.gammaOffset = layout.gammaOffset();
        k.lambdaOffset = layout.lambdaOffset();
        k.outWeightOffset = layout.outWeightOffset();
        k.outBiasOffset = layout.outBiasOffset();
        k.outRhoOffset = layout.outRhoOffset();
        k.rhoOffsets = new int[depth];
        for (int l = 0; l < depth; l++) {
            k.rhoOffsets[l] = layout.rhoOffset(l);
        }
        k.groupKind = new int[g];
        k.groupStart = new int[g];
        k.groupColumn = new int[g];
        for (int i = 0; i < g; i++) {
            k.groupKind[i] = layout.groupKind(i);
            k.groupStart[i] = layout.groupStart(i);
            k.groupColumn[i] = Math.max(0, layout.groupColumn(i));
        }
        k.fourierDegree = layout.fourierDegrees();
        k.interactionA = new int[Math.max(1, ni)];
        k.interactionB = new int[Math.max(1, ni)];
        for (int m = 0; m < ni; m++) {
            k.interactionA[m] = layout.interactionA(m);
            k.interactionB[m] = layout.interactionB(m);
        }
        k.inputScale = new float[d];
        for (int i = 0; i < d; i++) {
            k.inputScale[i] = layout.inputScale(i);
        }
        k.invSqrtWidth = (float) (1 / Math.sqrt(width));
        k.beta1 = (float) Objective.BETA1;
        k.beta2 = (float) Objective.BETA2;
        k.adamEpsilon = (float) Objective.EPSILON;
        k.stateLength = stateLen;
        k.gammaScalar = 2 + depth;
        k.inputScaleScalar = k.gammaScalar + g;
        k.noiseScalar = k.inputScaleScalar + d;
        k.scalarCount = k.noiseScalar + 1;
        k.memberScalars = new float[members * k.scalarCount];
        k.elementBlock = tiled ? 1 : NetworkKernel.ELEMENT_BLOCK;
        k.rowBlock = tiled ? 1 : NetworkKernel.ROW_BLOCK;

        // ---- table
        int n = Math.max(1, this.capacity);
        k.x = new float[n * d];
        k.y = new float[n];
        boolean counts = training && likelihood.isCount();
        k.logGammaY = new float[counts ? n : 1];
        k.seasonalIndex = new int[s > 0 ? n : 1];
        // a training table's distinct seasonal rows are known now; a prediction table may hold
        // up to one per row
        if (s > 0) {
            java.util.List<float[]> distinct = distinctSeasonalRows(seasonal, dataRows, k.seasonalIndex);
            k.seasonal = new float[(training ? Math.max(1, distinct.size()) : n) * s];
            packRows(distinct, s, k.seasonal);
        } else {
            k.seasonal = new float[1];
        }
        for (int r = 0; r < dataRows; r++) {
            System.arraycopy(x[r], 0, k.x, r * d, d);
            if (y != null) {
                k.y[r] = y[r];
                if (counts) {
                    k.logGammaY[r] = (float) NeuralFieldMath.logGamma(1.0 + y[r]);
                }
            }
        }
        k.batchRows = new int[members * n];

        // ---- activation regions
        long off = 1;
        k.featuresOffset = (int) off;
        off += (long) members * bc * fin;
        uOffs = new int[depth];
        hOffs = new int[depth];
        for (int l = 0; l < depth; l++) {
            uOffs[l] = (int) off;
            off += (long) members * bc * width;
            hOffs[l] = (int) off;
            off += (long) members * bc * width;
        }
        k.lastHiddenOffset = hOffs[depth - 1];
        if (training) {
            k.dhOffset = (int) off;
            off += (long) members * bc * width;
            k.duOffset = (int) off;
            off += (long) members * bc * width;
            k.dFeaturesOffset = (int) off;
            off += (long) members * bc * finS;
            k.outputGradOffset = (int) off;
            off += (long) members * bc;
            if (!tiled) {
                // one partial block per work-item of a product over the chunk's rows
                k.partialBlocks = (bc + CpuNetworkKernel.GEMM_ROWS - 1) / CpuNetworkKernel.GEMM_ROWS;
                k.partialOffset = (int) off;
                off += (long) members * k.partialBlocks * 4 * width;
            }
        }
        wtOffs = new int[depth];
        if (training) {
            for (int l = 0; l < depth; l++) {
                wtOffs[l] = (int) off;
                off += (long) members * width * inStride(l);
            }
        }
        if (off > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("activation buffer of " + off + " floats is too large");
        }
        k.act = new float[(int) off];
        k.act[0] = 1f;
        k.rowTerms = new float[training ? members * bc * k.slotCount : 1];
        k.reduced = new float[members * k.slotCount];
        k.params = new float[members * p];
        k.grad = new float[training ? members * p : 1];
        k.moment1 = new float[training ? members * stateLen : 1];
        k.moment2 = new float[training ? members * stateLen : 1];
        k.logPrior = new float[training ? members * p : 1];
        k.layerColumnSums = new float[training ? members * depth * 2 * width : 1];
        k.loss = new float[members];
        k.outputs = new float[members * bc];
        boolean vi = training && viSamples > 0;
        k.surrogate = new float[vi ? members * 2 * p : 1];
        k.surrogateGrad = new float[vi ? members * 2 * p : 1];
        k.noise = new float[vi ? members * p : 1];
        k.noiseKeys = new long[vi ? members * viSamples : 1];
        k.variationalLoss = new float[members];
        k.logQTerms = new float[vi ? members * p : 1];
        k.logSigma = new float[vi ? members * p : 1];
        k.levels = new float[training ? 1 : MAX_LEVELS];
        k.mixtureMean = new float[training ? 1 : bc];
        k.mixtureQuantiles = new float[training ? 1 : MAX_LEVELS * bc];

        k.setExplicit(true);
        k.put(k.x).put(k.seasonal).put(k.seasonalIndex).put(k.y).put(k.logGammaY).put(k.batchRows).put(k.params).put(k.grad).put(k.moment1).put(k.moment2)
                .put(k.surrogate).put(k.surrogateGrad).put(k.noise).put(k.noiseKeys).put(k.variationalLoss).put(k.logQTerms).put(k.logSigma).put(k.levels).put(k.mixtureMean).put(k.mixtureQuantiles)
                .put(k.act).put(k.layerColumnSums).put(k.rowTerms).put(k.reduced).put(k.logPrior).put(k.loss).put(k.outputs)
                .put(k.rhoOffsets).put(k.groupKind).put(k.groupStart).put(k.groupColumn).put(k.fourierDegree).put(k.interactionA).put(k.interactionB)
                .put(k.inputScale).put(k.memberScalars);
        this.kern = k;
        if (Boolean.getBoolean(PROFILE_PROPERTY)) {
            profile = new java.util.TreeMap<>();
        }
    }

    /**
     * The distinct seasonal rows of the table, in order of first appearance, and in index[r] the
     * one of row r. The seasonal features are a function of the time alone, and a space-time
     * table has many rows per time step (wind: 6,575 distinct of 77,794 rows), so the table the
     * features pass reads shrinks to one that stays in cache: read per row from the full table
     * (14 MB on wind-cpu, 46 values per row, rows in batch order) the features pass waited on
     * memory for about a third of its time.
     */
    private static java.util.List<float[]> distinctSeasonalRows(float[][] seasonal, int rows, int[] index) {
        java.util.Map<RowKey, Integer> seen = new java.util.HashMap<>();
        java.util.List<float[]> distinct = new java.util.ArrayList<>();
        for (int r = 0; r < rows; r++) {
            // rows of one time step tend to be adjacent (a raster's cells, a day's stations)
            if (r > 0 && java.util.Arrays.equals(seasonal[r], seasonal[r - 1])) {
                index[r] = index[r - 1];
                continue;
            }
            Integer i = seen.putIfAbsent(new RowKey(seasonal[r]), distinct.size());
            if (i == null) {
                i = distinct.size();
                distinct.add(seasonal[r]);
            }
            index[r] = i;
        }
        return distinct;
    }

    /** Copies rows of s values one after the other into {@code out}. */
    private static void packRows(java.util.List<float[]> rows, int s, float[] out) {
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * s, s);
        }
    }

    /**
     * Replaces the rows of a prediction network's table ({@link #forPrediction}) with {@code x}
     * and {@code seasonal}, which {@link #forwardAll} and {@link #summaryAll} then predict; the
     * buffers and the uploaded state stay.
     *
     * @throws IllegalArgumentException for more rows than the network's capacity
     */
    void loadRows(float[][] x, float[][] seasonal) {
        if (training) {
            throw new IllegalStateException("a training network's table is fixed");
        }
        if (x.length > capacity) {
            throw new IllegalArgumentException(x.length + " rows do not fit a prediction network of "
                    + capacity + " rows");
        }
        long t0 = System.nanoTime();
        int d = layout.columns();
        int s = layout.seasonalWidth();
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, kern.x, r * d, d);
        }
        dataRows = x.length;
        kern.put(kern.x);
        if (s > 0) {
            packRows(distinctSeasonalRows(seasonal, x.length, kern.seasonalIndex), s, kern.seasonal);
            kern.put(kern.seasonal).put(kern.seasonalIndex);
        }
        record("put table rows", t0);
    }

    /** Rows the table holds at most. */
    int capacity() {
        return capacity;
    }

    /** A row as a map key, equal by bit pattern ({@link java.util.Arrays#equals(float[], float[])}). */
    private record RowKey(float[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && java.util.Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(v);
        }
    }

    /** Rows per member processed in one chunk. */
    int chunkRows() {
        return bc;
    }

    int members() {
        return members;
    }

    /** The kernel, for tests that inspect it. */
    NetworkKernel kernel() {
        return kern;
    }

    /**
     * Replaces the state on the device: the parameters θ (P values per member), or for VI the
     * surrogates (μ, ρ) (2P values).
     */
    void putState(float[][] state, boolean resetMoments) {
        int q = kern.stateLength;
        float[] dst = isVi() ? kern.surrogate : kern.params;
        for (int k = 0; k < members; k++) {
            System.arraycopy(state[k], 0, dst, k * q, q);
        }
        kern.put(dst);
        if (!training) {
            // the per-member scalars depend on the parameters alone: once per upload, not per call
            exec1(NetworkKernel.M_SCALARS, members * kern.scalarCount);
        }
        if (resetMoments && training) {
            java.util.Arrays.fill(kern.moment1, 0f);
            java.util.Arrays.fill(kern.moment2, 0f);
            kern.put(kern.moment1).put(kern.moment2);
        }
    }

    /** The state (θ, or VI's (μ, ρ)), read back from the device. */
    float[][] getState() {
        float[] src = isVi() ? kern.surrogate : kern.params;
        kern.get(src);
        int q = kern.stateLength;
        float[][] out = new float[members][q];
        for (int k = 0; k < members; k++) {
            System.arraycopy(src, k * q, out[k], 0, q);
        }
        return out;
    }

    private boolean isVi() {
        return training && viSamples > 0;
    }

    /**
     * The VI loss and surrogate gradient of every member for the uploaded batch ({@link #losses},
     * {@link #gradients}): for each sample s, θ_s = μ + σ ε_s, the point loss and gradient at θ_s
     * (prior weight 1), then log q(θ_s), averaged over samples; finally the entropy term and
     * dσ → dρ.
     *
     * <p>The noise ε is drawn on the device, element by element, from the counter-based generator
     * the Java engine uses ({@link NetworkKernel#normalF}); only the K·S keys are uploaded.
     *
     * @param scale N / (|B| · klWeight)
     * @param noiseSeed the step's noise seed: sample s of member k draws from
     *     {@code CounterNormal.key(noiseSeed, k, s)}
     */
    void variationalLossAndGradient(int batch, float scale, long noiseSeed) {
        if (!isVi()) {
            throw new IllegalStateException("not a VI training network");
        }
        long t0 = System.nanoTime();
        for (int k = 0; k < members; k++) {
            for (int s = 0; s < viSamples; s++) {
                kern.noiseKeys[k * viSamples + s] = CounterNormal.key(noiseSeed, k, s);
            }
        }
        kern.put(kern.noiseKeys);
        record("put noise keys", t0);
        execElements(NetworkKernel.M_VI_ZERO, 2 * p);
        for (int s = 0; s < viSamples; s++) {
            kern.sample = s;
            execElements(NetworkKernel.M_VI_SAMPLE, p);
            lossAndGradient(batch, scale, 1f);
            execElements(NetworkKernel.M_VI_ACCUMULATE, p);
            exec1(NetworkKernel.M_VI_LOSS, members);
        }
        execElements(NetworkKernel.M_VI_FINISH, p);
    }

    /** The kernel's code for an observation model ({@link NetworkKernel#likelihood}). */
    private static int likelihoodCode(ObservationModel likelihood) {
        return likelihood == ObservationModel.NB ? NetworkKernel.LIK_NB
                : likelihood == ObservationModel.ZINB ? NetworkKernel.LIK_ZINB : NetworkKernel.LIK_NORMAL;
    }

    /** Uploads every table row, in order, as one batch shared by all members (prediction). */
    private void putAllRows() {
        int[] all = new int[dataRows];
        for (int i = 0; i < dataRows; i++) {
            all[i] = i;
        }
        putRows(new int[][] {all});
    }

    /** Uploads the batch rows: one list per member, or one shared list. All lists have one length. */
    int putRows(int[][] rows) {
        int b = rows[0].length;
        for (int[] r : rows) {
            if (r.length != b) {
                throw new IllegalArgumentException("batches of one step must have one size, got "
                        + b + " and " + r.length);
            }
            for (int v : r) {
                if (v < 0 || v >= dataRows) {
                    throw new IllegalArgumentException("batch row " + v + " is outside the " + dataRows
                            + " training rows");
                }
            }
        }
        if (b == 0 || (long) b * rows.length > kern.batchRows.length) {
            throw new IllegalArgumentException("batch of " + b + " rows does not fit the " + dataRows
                    + " training rows");
        }
        long t0 = System.nanoTime();
        for (int k = 0; k < rows.length; k++) {
            putSorted(rows[k], k * b);
        }
        kern.sharedBatch = rows.length == 1 ? 1 : 0;
        kern.batchSize = b;
        kern.put(kern.batchRows);
        record("put rows", t0);
        return b;
    }

    /**
     * Copies one batch into kern.batchRows at off in ascending row order. A batch's loss and gradient
     * are sums over its rows, so their order changes only the float rounding; ascending rows make
     * the per-row passes' reads of the table (x, the seasonal index, y) move forward through
     * memory instead of jumping (wind-cpu: 4096 of 77,794 rows per member and step). Ordered
     * through a bit set of the table's rows, 0.14 ms per wind-cpu step against 1.2 ms for sorting
     * the eight lists; a batch that repeats a row (the bit set would drop it) is sorted instead.
     */
    private void putSorted(int[] batch, int off) {
        if (rowBits == null) {
            rowBits = new long[(dataRows + 63) >>> 6];
        }
        for (int v : batch) {
            rowBits[v >>> 6] |= 1L << v;
        }
        int o = off;
        for (int w = 0; w < rowBits.length; w++) {
            long bits = rowBits[w];
            while (bits != 0) {
                kern.batchRows[o++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
            rowBits[w] = 0L;
        }
        if (o != off + batch.length) {
            System.arraycopy(batch, 0, kern.batchRows, off, batch.length);
            java.util.Arrays.sort(kern.batchRows, off, off + batch.length);
        }
    }

    /** Network outputs for rows [0, n) of the table, every member shares them: f[k][row]. */
    float[][] forwardAll() {
        if (training) {
            throw new IllegalStateException("a training network does not predict");
        }
        int n = dataRows;
        float[][] out = new float[members][n];
        putAllRows();
        for (int start = 0; start < n; start += bc) {
            int bn = Math.min(bc, n - start);
            forwardChunk(start, bn);
            execRows(NetworkKernel.M_OUTPUT);
            kern.get(kern.outputs);
            for (int k = 0; k < members; k++) {
                System.arraycopy(kern.outputs, k * bc, out[k], start, bn);
            }
        }
        return out;
    }

    /**
     * The equal-weight mixture's mean and quantiles for rows [0, n) of the table, computed on the
     * device from every member's output ({@link NetworkKernel#summary}).
     *
     * @return {@code [1 + levels.length][n]}: the mean, then one row per level
     */
    float[][] summaryAll(ObservationModel likelihood, double[] levels) {
        if (training) {
            throw new IllegalStateException("a training network does not predict");
        }
        int n = dataRows;
        float[][] out = new float[1 + levels.length][n];
        putAllRows();
        kern.likelihood = likelihoodCode(likelihood);
        for (int start = 0; start < n; start += bc) {
            int bn = Math.min(bc, n - start);
            forwardChunk(start, bn);
            execRows(NetworkKernel.M_OUTPUT);
            for (int g = 0; g == 0 || g < levels.length; g += MAX_LEVELS) {
                int nq = Math.min(MAX_LEVELS, levels.length - g);
                for (int j = 0; j < nq; j++) {
                    kern.levels[j] = (float) levels[g + j];
                }
                kern.levelCount = nq;
                kern.put(kern.levels);
                exec1(NetworkKernel.M_SUMMARY, bn);
                if (g == 0) {
                    kern.get(kern.mixtureMean);
                    System.arraycopy(kern.mixtureMean, 0, out[0], start, bn);
                }
                if (nq > 0) {
                    kern.get(kern.mixtureQuantiles);
                    for (int j = 0; j < nq; j++) {
                        System.arraycopy(kern.mixtureQuantiles, j * bc, out[1 + g + j], start, bn);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Loss and gradient of every member at the current parameters, left on the device
     * ({@link #losses}, {@link #gradients} for point estimates); the network's likelihood.
     *
     * @param scale N / |B|
     * @param priorWeight 1 (MAP) or 0 (MLE)
     */
    void lossAndGradient(int batch, float scale, float priorWeight) {
        if (!training) {
            throw new IllegalStateException("a prediction network has no backward buffers");
        }
        kern.lossScale = scale;
        kern.priorWeight = priorWeight;
        exec1(NetworkKernel.M_SCALARS, members * kern.scalarCount);
        execElements(NetworkKernel.M_ZERO, p);
        for (int l = 0; l < depth; l++) {
            setLayer(l);
            if (tiled) {
                exec3(NetworkKernel.M_TRANSPOSE, kern.layerInputs, width, members);
            } else {
                exec2(NetworkKernel.M_TRANSPOSE_ROWS, width, members);
            }
        }
        for (int start = 0; start < batch; start += bc) {
            int bn = Math.min(bc, batch - start);
            // in the CPU form the last forward product's epilogue runs the output, likelihood and
            // the last layer's back-activation, partial sums by the product's row blocks
            forwardChunk(start, bn);
            if (tiled) {
                execRows(NetworkKernel.M_OUTPUT);
                // W_out: Σ_r go_r h_r / sqrt(W) (in the CPU form a partial sum of that epilogue)
                gemm(1, width, bn, kern.outputGradOffset, bc, 0, 1, 1, hOffs[depth - 1], bc * width, width, 1,
                        1, layout.outWeightOffset(), p, 0, kern.invSqrtWidth, true, NetworkKernel.EPI_NONE);
            }
            for (int l = depth - 1; l >= 0; l--) {
                setLayer(l);
                // the layer sums add the bias gradient db_l = Σ_r du as well
                if (tiled) {
                    exec3(NetworkKernel.M_BACK_ACTIVATION, width, bn, members);
                    exec2(NetworkKernel.M_LAYER_SUMS, width, members);
                } else {
                    exec1(NetworkKernel.M_LAYER_SUMS_ROWS, members);
                }
                int nin = layout.layerInputWidth(l);
                int in = l == 0 ? kern.featuresOffset : hOffs[l - 1];
                float inv = (float) (1 / Math.sqrt(nin));
                // dW_l = inᵀ du / sqrt(nin)
                gemm(nin, width, bn, in, bc * nin, 1, nin, 1, kern.duOffset, bc * width, width, 1,
                        1, layout.weightOffset(l), p, width, inv, true, NetworkKernel.EPI_NONE);
                // dIn = du W_lᵀ / sqrt(nin), into dh (or dIn for the features); in the CPU form
                // the product ends with layer l-1's back-activation on its rows
                int cOff = l == 0 ? kern.dFeaturesOffset : kern.dhOffset;
                int ns = inStride(l);
                int epi = NetworkKernel.EPI_NONE;
                if (!tiled && l > 0) {
                    setLayer(l - 1);
                    epi = NetworkKernel.EPI_BACK;
                }
                gemm(bn, ns, width, kern.duOffset, bc * width, width, 1, 1, wtOffs[l],
                        width * ns, ns, 1, 0, cOff, bc * ns, ns, inv, false, epi);
            }
            execRows(NetworkKernel.M_BACK_FEATURES);
            exec1(NetworkKernel.M_REDUCE, members * kern.slotCount);
        }
        exec1(NetworkKernel.M_FINISH_GRADIENT, members);
        if (priorWeight != 0f) {
            execElements(NetworkKernel.M_PRIOR, p);
        }
        exec1(NetworkKernel.M_LOSS, members);
    }

    /** One Adam update with bias corrections c1 = 1 - β1^t, c2 = 1 - β2^t. */
    void adam(float learningRate, float c1, float c2) {
        kern.learningRate = learningRate;
        kern.biasCorrection1 = c1;
        kern.biasCorrection2 = c2;
        execElements(isVi() ? NetworkKernel.M_ADAM_VI : NetworkKernel.M_ADAM, kern.stateLength);
    }

    /** Loss of every member of the last step (the VI loss for a VI network). */
    float[] losses() {
        float[] src = isVi() ? kern.variationalLoss : kern.loss;
        long t0 = System.nanoTime();
        kern.get(src);
        record("get losses", t0);
        return src.clone();
    }

    /** Gradient of every member's state of the last step (with respect to (μ, ρ) for VI). */
    float[][] gradients() {
        float[] src = isVi() ? kern.surrogateGrad : kern.grad;
        kern.get(src);
        int q = kern.stateLength;
        float[][] out = new float[members][q];
        for (int k = 0; k < members; k++) {
            System.arraycopy(src, k * q, out[k], 0, q);
        }
        return out;
    }

    private void forwardChunk(int rowBase, int bn) {
        kern.chunkStart = rowBase;
        kern.rowsInChunk = bn;
        execRows(NetworkKernel.M_FEATURES);
        for (int l = 0; l < depth; l++) {
            setLayer(l);
            int nin = layout.layerInputWidth(l);
            int in = l == 0 ? kern.featuresOffset : hOffs[l - 1];
            // in the CPU form the product ends with the bias and activation on its rows, and when
            // training the last one also with the output, likelihood and back-activation
            int epi = tiled ? NetworkKernel.EPI_NONE
                    : training && l == depth - 1 ? NetworkKernel.EPI_OUTPUT : NetworkKernel.EPI_ACTIVATION;
            gemm(bn, width, nin, in, bc * nin, nin, 1, 0, layout.weightOffset(l), p, width, 1,
                    0, uOffs[l], bc * width, width, (float) (1 / Math.sqrt(nin)), false, epi);
            if (tiled) {
                exec3(NetworkKernel.M_ACTIVATION, width, bn, members);
            }
        }
    }

    private void setLayer(int l) {
        kern.layer = l;
        kern.layerUOffset = uOffs[l];
        kern.layerHOffset = hOffs[l];
        kern.layerBiasOffset = layout.biasOffset(l);
        kern.layerRhoOffset = layout.rhoOffset(l);
        kern.layerWeightOffset = layout.weightOffset(l);
        kern.layerTransposedOffset = wtOffs[l];
        kern.layerInputs = layout.layerInputWidth(l);
        kern.layerInputStride = inStride(l);
    }

    /**
     * Row stride of layer l's input gradient and transposed weights. For the feature layer it is
     * the feature count rounded up to a multiple of 8, and the input-gradient product runs over
     * that many columns (the padding columns of W_0ᵀ stay zero, so those of dL/dh⁰ come out zero
     * and are never read): with 79 features, the product's inner loop had a scalar remainder of 7
     * columns after 9 vectors of 8 for every row, and took 8.6 ms per call on wind-cpu against
     * 7.0 ms for the 4096x128x79 forward product of the same layer. Hidden layers write into dh,
     * whose rows are exactly W wide.
     */
    private int inStride(int l) {
        return l == 0 ? finS : layout.layerInputWidth(l);
    }

    /**
     * C[k][m][n] = α Σ_t A[k][m][t]·B[k][t][n] (+ C), A in act at aOff + k·aSk + m·aSm + t·aSt,
     * B in par (bSrc 0) or act (1) at bOff + k·bSk + t·bSt + n·bSn, C in act (cDst 0) or grad (1)
     * at cOff + k·cSk + m·cSm + n; epi the CPU form's epilogue on the rows of C
     * ({@link NetworkKernel#gemmEpilogue}, layer fields from {@link #setLayer}; none in the GPU form).
     */
    private void gemm(int m, int n, int t, int aOff, int aSk, int aSm, int aSt, int bSrc, int bOff,
            int bSk, int bSt, int bSn, int cDst, int cOff, int cSk, int cSm, float alpha, boolean acc, int epi) {
        NetworkKernel k = kern;
        k.gemmM = m;
        k.gemmN = n;
        k.gemmT = t;
        k.gemmAOffset = aOff;
        k.gemmAMemberStride = aSk;
        k.gemmARowStride = aSm;
        k.gemmAInnerStride = aSt;
        k.gemmBSource = bSrc;
        k.gemmBOffset = bOff;
        k.gemmBMemberStride = bSk;
        k.gemmBInnerStride = bSt;
        k.gemmBColumnStride = bSn;
        k.gemmCTarget = cDst;
        k.gemmCOffset = cOff;
        k.gemmCMemberStride = cSk;
        k.gemmCRowStride = cSm;
        k.gemmAlpha = alpha;
        k.gemmAccumulate = acc ? 1 : 0;
        k.gemmEpilogue = epi;
        long t0 = System.nanoTime();
        if (tiled) {
            if (epi != NetworkKernel.EPI_NONE) {
                throw new IllegalArgumentException("the GPU-form matrix product has no epilogue");
            }
            k.mode = NetworkKernel.M_GEMM;
            execute(Range.create3D(device, pad(n, T), pad(m, T), members, T, T, 1));
        } else {
            if (bSn != 1) {
                throw new IllegalArgumentException("the CPU-form matrix product needs contiguous columns of B");
            }
            // up to 128 rows of C per work-item: each work-item copies four rows of B into
            // private memory once and streams them over its rows of C, so more rows spread that
            // copy thinner. On pocl (2 cores, 8 members, median of 40 alternating launches) 128
            // rows instead of 64 took the 128x128x4096 weight gradient from 10.9 to 9.8 ms and
            // left the 4096-row products unchanged (within 1%); 16 and 32 rows were slower.
            k.gemmRows = Math.min(m, CpuNetworkKernel.GEMM_ROWS);
            k.mode = NetworkKernel.M_GEMM_AXPY;
            execute(Range.create2D(device, pad((m + k.gemmRows - 1) / k.gemmRows, VEC), members, VEC, 1));
        }
        record("gemm " + m + "x" + n + "x" + t + (aSt == 1 ? "" : " A^T") + (bSn == 1 ? "" : " B^T")
                + (epi == NetworkKernel.EPI_ACTIVATION ? " +activation" : epi == NetworkKernel.EPI_BACK
                        ? " +back-activation" : epi == NetworkKernel.EPI_OUTPUT ? " +output" : ""), t0);
    }

    private void exec1(int mode, int n) {
        kern.mode = mode;
        long t0 = System.nanoTime();
        execute(Range.create(device, pad(n, LOCAL), LOCAL));
        record("pass " + MODE_NAMES[mode], t0);
    }

    /** Runs a pass over (n0, n1, n2), dimension 0 padded to work-groups of {@value #VEC}, dimension 1 to 4. */
    private void exec3(int mode, int n0, int n1, int n2) {
        kern.mode = mode;
        long t0 = System.nanoTime();
        execute(Range.create3D(device, pad(n0, VEC), pad(n1, 4), n2, VEC, 4, 1));
        record("pass " + MODE_NAMES[mode], t0);
    }

    /** Runs a per-row pass over the chunk's rows of every member, {@link NetworkKernel#rowBlock} rows per work-item. */
    private void execRows(int mode) {
        exec2(mode, (bc + kern.rowBlock - 1) / kern.rowBlock, members);
    }

    /** Runs an element pass over n elements of every member ({@link NetworkKernel#elementBlock} per work-item). */
    private void execElements(int mode, int n) {
        exec2(mode, (n + kern.elementBlock - 1) / kern.elementBlock, members);
    }

    /** Runs a pass over (n0, n1), dimension 0 padded to work-groups of {@value #VEC}. */
    private void exec2(int mode, int n0, int n1) {
        kern.mode = mode;
        long t0 = System.nanoTime();
        execute(Range.create2D(device, pad(n0, VEC), n1, VEC, 1));
        record("pass " + MODE_NAMES[mode], t0);
    }

    private void record(String key, long t0) {
        if (profile != null) {
            // the first call of a pass includes the driver's compilation for its work-group shape
            long[] v = profile.computeIfAbsent(key, x -> new long[3]);
            long dt = System.nanoTime() - t0;
            if (v[1] == 0 && v[2] == 0) {
                v[2] = dt;
            } else {
                v[0] += dt;
                v[1]++;
            }
        }
    }

    /**
     * Runs the current pass; a pass that Aparapi could not translate or the driver could not
     * compile becomes an {@link IllegalStateException} naming the device (Aparapi reports it as
     * an AssertionError when the device was chosen explicitly).
     */
    private void execute(Range range) {
        try {
            kern.execute(range);
        } catch (AssertionError | RuntimeException e) {
            throw new IllegalStateException("the BayesNF kernel could not run as OpenCL on "
                    + device.getShortDescription() + " (" + e.getMessage() + "); see Aparapi's log for the cause", e);
        }
        ensureOpenCl();
    }

    private void ensureOpenCl() {
        if (!kern.isRunningCL()) {
            throw new IllegalStateException("the BayesNF kernel did not run as OpenCL on "
                    + device.getShortDescription() + " (Aparapi fell back to its Java thread pool; see its log"
                    + " for the translation error)");
        }
    }

    private static int pad(int n, int to) {
        return Math.max(to, (n + to - 1) / to * to);
    }

    @Override
    public void close() {
        if (profile != null) {
            long total = profile.values().stream().mapToLong(v -> v[0]).sum();
            StringBuilder sb = new StringBuilder("bayesnf opencl profile (" + device.getShortDescription()
                    + "), first calls excluded:\n");
            profile.forEach((name, v) -> sb.append(String.format(java.util.Locale.ROOT,
                    "  %-28s %8d calls %10.1f ms %5.1f%%  %8.3f ms/call (first call %.0f ms)%n", name, v[1],
                    v[0] / 1e6, 100.0 * v[0] / total, v[1] == 0 ? 0 : v[0] / 1e6 / v[1], v[2] / 1e6)));
            System.err.print(sb);
        }
        kern.dispose();
    }
}
