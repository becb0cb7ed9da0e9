package dev.bayesnf.opencl;

import com.aparapi.device.OpenCLDevice;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.CounterNormal;

/**
 * Host side of {@link NetworkKernel}: owns its device buffers and runs the passes of a forward
 * pass (prediction) or of a whole training step (forward, likelihood, backward, prior, Adam) for
 * K members at once: point estimates (MAP, MLE) or VI surrogates, NORMAL, NB or ZINB. The kernel
 * and its buffers are set up by {@link KernelBuffers}, each pass is run by {@link PassRunner},
 * batches are uploaded by {@link BatchRows}; this class holds the order of the passes.
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
    /** Quantile levels one summary pass computes; more are done in groups. */
    static final int MAX_LEVELS = 16;
    /**
     * System property choosing the form of the heavy passes: "gpu" (one work-item per output
     * element, matrix products tiled through local memory; the default on GPUs and accelerators)
     * or "cpu" (one work-item per row, contiguous inner loops that a CPU driver vectorises inside
     * the work-item; the default on CPU drivers). Both give the same results up to float rounding.
     */
    static final String FORM_PROPERTY = "bayesnf.opencl.form";

    private final FeatureLayout layout;
    private final NetworkKernel kern;
    private final int members;
    private final int p;
    private final int width;
    private final int depth;
    /** Rows per member of a chunk ({@link #chunkRows()}). */
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
    private final PassRunner runner;

    private final BatchRows batches;

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
        this.layout = layout;
        this.members = members;
        this.p = layout.parameterCount();
        this.width = layout.width();
        this.depth = layout.depth();
        this.training = training;
        this.viSamples = viSamples;
        this.dataRows = x.length;
        this.capacity = Math.max(x.length, capacity);
        this.tiled = gpuForm(device);
        KernelBuffers buffers = new KernelBuffers(layout, members, likelihood, viSamples, training, tiled,
                maxActivationFloats, this.capacity, x, seasonal, y);
        this.kern = buffers.kernel;
        this.bc = buffers.chunkRows;
        this.uOffs = buffers.uOffsets;
        this.hOffs = buffers.hOffsets;
        this.wtOffs = buffers.wtOffsets;
        this.runner = new PassRunner(device, kern, members, tiled);
        this.batches = new BatchRows(kern, runner, this.capacity);
    }

    /**
     * Whether the passes take the GPU form on this device ({@link #FORM_PROPERTY}).
     *
     * @throws IllegalStateException when the GPU form is asked for and the device cannot run it
     */
    private static boolean gpuForm(OpenCLDevice device) {
        int t = GpuNetworkKernel.TILE;
        String form = System.getProperty(FORM_PROPERTY, "");
        // the GPU form's products run T x T work-groups: a device that cannot (a few embedded
        // GPUs cap work-groups below 256) gets the CPU form, which runs anywhere
        boolean groupsFit = device.getMaxWorkGroupSize() >= t * t;
        if (form.equals("gpu") && !groupsFit) {
            throw new IllegalStateException(device.getShortDescription() + " runs work-groups of at most "
                    + device.getMaxWorkGroupSize() + " work-items; the GPU form of the kernels needs " + t * t);
        }
        return groupsFit && (form.equals("gpu") || (!form.equals("cpu") && OpenClDevices.isGpu(device)));
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
            SeasonalTable.pack(SeasonalTable.distinctRows(seasonal, x.length, kern.seasonalIndex), s, kern.seasonal);
            kern.put(kern.seasonal).put(kern.seasonalIndex);
        }
        runner.record("put table rows", t0);
    }

    /** Rows the table holds at most. */
    int capacity() {
        return capacity;
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
            runner.exec1(KernelState.M_SCALARS, members * kern.scalarCount);
        }
        if (resetMoments && training) {
            java.util.Arrays.fill(kern.moment1, 0f);
            java.util.Arrays.fill(kern.moment2, 0f);
            kern.put(kern.moment1).put(kern.moment2);
        }
    }

    /** The state (θ, or VI's (μ, ρ)), read back from the device. */
    float[][] getState() {
        return perMember(isVi() ? kern.surrogate : kern.params);
    }

    /** A buffer of one state-length block per member, read back from the device and split. */
    private float[][] perMember(float[] src) {
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
        runner.record("put noise keys", t0);
        runner.execElements(KernelState.M_VI_ZERO, 2 * p);
        for (int s = 0; s < viSamples; s++) {
            kern.sample = s;
            runner.execElements(KernelState.M_VI_SAMPLE, p);
            lossAndGradient(batch, scale, 1f);
            runner.execElements(KernelState.M_VI_ACCUMULATE, p);
            runner.exec1(KernelState.M_VI_LOSS, members);
        }
        runner.execElements(KernelState.M_VI_FINISH, p);
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
        return batches.put(rows, dataRows);
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
            runner.execRows(KernelState.M_OUTPUT);
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
        kern.likelihood = KernelBuffers.likelihoodCode(likelihood);
        for (int start = 0; start < n; start += bc) {
            int bn = Math.min(bc, n - start);
            forwardChunk(start, bn);
            runner.execRows(KernelState.M_OUTPUT);
            for (int g = 0; g == 0 || g < levels.length; g += MAX_LEVELS) {
                int nq = Math.min(MAX_LEVELS, levels.length - g);
                for (int j = 0; j < nq; j++) {
                    kern.levels[j] = (float) levels[g + j];
                }
                kern.levelCount = nq;
                kern.put(kern.levels);
                runner.exec1(KernelState.M_SUMMARY, bn);
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
        runner.exec1(KernelState.M_SCALARS, members * kern.scalarCount);
        runner.execElements(KernelState.M_ZERO, p);
        for (int l = 0; l < depth; l++) {
            setLayer(l);
            if (tiled) {
                runner.exec3(KernelState.M_TRANSPOSE, kern.layerInputs, width, members);
            } else {
                runner.exec2(KernelState.M_TRANSPOSE_ROWS, width, members);
            }
        }
        for (int start = 0; start < batch; start += bc) {
            int bn = Math.min(bc, batch - start);
            // in the CPU form the last forward product's epilogue runs the output, likelihood and
            // the last layer's back-activation, partial sums by the product's row blocks
            forwardChunk(start, bn);
            if (tiled) {
                runner.execRows(KernelState.M_OUTPUT);
                // W_out: Σ_r go_r h_r / sqrt(W) (in the CPU form a partial sum of that epilogue)
                runner.gemm(1, width, bn, kern.outputGradOffset, bc, 0, 1, 1, hOffs[depth - 1], bc * width, width, 1,
                        1, layout.outWeightOffset(), p, 0, kern.invSqrtWidth, true, KernelState.EPI_NONE);
            }
            for (int l = depth - 1; l >= 0; l--) {
                setLayer(l);
                // the layer sums add the bias gradient db_l = Σ_r du as well
                if (tiled) {
                    runner.exec3(KernelState.M_BACK_ACTIVATION, width, bn, members);
                    runner.exec2(KernelState.M_LAYER_SUMS, width, members);
                } else {
                    runner.exec1(KernelState.M_LAYER_SUMS_ROWS, members);
                }
                int nin = layout.layerInputWidth(l);
                int in = l == 0 ? kern.featuresOffset : hOffs[l - 1];
                float inv = (float) (1 / Math.sqrt(nin));
                // dW_l = inᵀ du / sqrt(nin)
                runner.gemm(nin, width, bn, in, bc * nin, 1, nin, 1, kern.duOffset, bc * width, width, 1,
                        1, layout.weightOffset(l), p, width, inv, true, KernelState.EPI_NONE);
                // dIn = du W_lᵀ / sqrt(nin), into dh (or dIn for the features); in the CPU form
                // the product ends with layer l-1's back-activation on its rows
                int cOff = l == 0 ? kern.dFeaturesOffset : kern.dhOffset;
                int ns = inStride(l);
                int epi = KernelState.EPI_NONE;
                if (!tiled && l > 0) {
                    setLayer(l - 1);
                    epi = KernelState.EPI_BACK;
                }
                runner.gemm(bn, ns, width, kern.duOffset, bc * width, width, 1, 1, wtOffs[l],
                        width * ns, ns, 1, 0, cOff, bc * ns, ns, inv, false, epi);
            }
            runner.execRows(KernelState.M_BACK_FEATURES);
            runner.exec1(KernelState.M_REDUCE, members * kern.slotCount);
        }
        runner.exec1(KernelState.M_FINISH_GRADIENT, members);
        if (priorWeight != 0f) {
            runner.execElements(KernelState.M_PRIOR, p);
        }
        runner.exec1(KernelState.M_LOSS, members);
    }

    /** One Adam update with bias corrections c1 = 1 - β1^t, c2 = 1 - β2^t. */
    void adam(float learningRate, float c1, float c2) {
        kern.learningRate = learningRate;
        kern.biasCorrection1 = c1;
        kern.biasCorrection2 = c2;
        runner.execElements(isVi() ? KernelState.M_ADAM_VI : KernelState.M_ADAM, kern.stateLength);
    }

    /** Loss of every member of the last step (the VI loss for a VI network). */
    float[] losses() {
        float[] src = isVi() ? kern.variationalLoss : kern.loss;
        long t0 = System.nanoTime();
        kern.get(src);
        runner.record("get losses", t0);
        return src.clone();
    }

    /** Gradient of every member's state of the last step (with respect to (μ, ρ) for VI). */
    float[][] gradients() {
        return perMember(isVi() ? kern.surrogateGrad : kern.grad);
    }

    private void forwardChunk(int rowBase, int bn) {
        kern.chunkStart = rowBase;
        kern.rowsInChunk = bn;
        runner.execRows(KernelState.M_FEATURES);
        for (int l = 0; l < depth; l++) {
            setLayer(l);
            int nin = layout.layerInputWidth(l);
            int in = l == 0 ? kern.featuresOffset : hOffs[l - 1];
            // in the CPU form the product ends with the bias and activation on its rows, and when
            // training the last one also with the output, likelihood and back-activation
            int epi = tiled ? KernelState.EPI_NONE
                    : training && l == depth - 1 ? KernelState.EPI_OUTPUT : KernelState.EPI_ACTIVATION;
            runner.gemm(bn, width, nin, in, bc * nin, nin, 1, 0, layout.weightOffset(l), p, width, 1,
                    0, uOffs[l], bc * width, width, (float) (1 / Math.sqrt(nin)), false, epi);
            if (tiled) {
                runner.exec3(KernelState.M_ACTIVATION, width, bn, members);
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

    /** Row stride of layer l's input gradient and transposed weights ({@link KernelBuffers#inStride}). */
    private int inStride(int l) {
        return KernelBuffers.inStride(layout, l);
    }

    @Override
    public void close() {
        runner.printProfile();
        kern.dispose();
    }
}
