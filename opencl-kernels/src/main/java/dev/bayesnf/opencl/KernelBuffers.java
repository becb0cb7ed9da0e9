package dev.bayesnf.opencl;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.NeuralFieldMath;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.Objective;

/**
 * The host-side set-up of a network's kernel ({@link DeviceNetwork}): chooses the chunk size,
 * creates the kernel of the chosen form, sets its sizes and parameter layout, allocates and fills
 * its buffers (the table, the activation regions, the state, VI and summary buffers; layouts in
 * {@link KernelState}) and marks them all for upload (explicit buffer management: from here on
 * only what the host puts or gets moves).
 */
final class KernelBuffers {
    private final FeatureLayout layout;
    private final int members;
    private final boolean training;
    private final boolean tiled;
    /** The kernel, every field set. */
    final NetworkKernel kernel;
    /** Rows per member of a chunk (the activation buffer's row capacity). */
    final int chunkRows;
    /** Offsets in act of each hidden layer's u and h, and (training) of its transposed weights. */
    final int[] uOffsets;
    final int[] hOffsets;
    final int[] wtOffsets;

    /**
     * @param viSamples VI Monte Carlo samples per step, or 0 (point estimates, prediction)
     * @param tiled whether the passes take the GPU form ({@link GpuNetworkKernel})
     * @param capacity table rows the buffers hold (at least x.length)
     * @param y the targets, or null for prediction
     */
    KernelBuffers(FeatureLayout layout, int members, ObservationModel likelihood, int viSamples,
            boolean training, boolean tiled, long maxActivationFloats, int capacity, float[][] x,
            float[][] seasonal, float[] y) {
        this.layout = layout;
        this.members = members;
        this.training = training;
        this.tiled = tiled;
        this.chunkRows = chunkRows(layout, members, training, tiled, maxActivationFloats, capacity);
        NetworkKernel k = tiled ? new GpuNetworkKernel() : new CpuNetworkKernel();
        setSizes(k, likelihood, viSamples);
        setLayout(k);
        fillTable(k, likelihood, capacity, x, seasonal, y);
        this.uOffsets = new int[layout.depth()];
        this.hOffsets = new int[layout.depth()];
        this.wtOffsets = new int[layout.depth()];
        allocateActivations(k);
        allocateState(k, viSamples);
        upload(k);
        this.kernel = k;
    }

    /** The kernel's code for an observation model ({@link KernelState#likelihood}). */
    static int likelihoodCode(ObservationModel likelihood) {
        return likelihood == ObservationModel.NB ? KernelState.LIK_NB
                : likelihood == ObservationModel.ZINB ? KernelState.LIK_ZINB : KernelState.LIK_NORMAL;
    }

    /**
     * Row stride of layer l's input gradient and transposed weights. For the feature layer it is
     * the feature count rounded up to a multiple of 8, and the input-gradient product runs over
     * that many columns (the padding columns of W_0ᵀ stay zero, so those of dL/dh⁰ come out zero
     * and are never read): with an odd feature count, the product's inner loop ran a scalar
     * remainder after its vectors for every row, which made it markedly slower than the forward
     * product of the same layer (docs/BENCHMARKS.md). Hidden layers write into dh, whose rows are
     * exactly W wide.
     */
    static int inStride(FeatureLayout layout, int l) {
        return l == 0 ? featureStride(layout) : layout.layerInputWidth(l);
    }

    private static int featureStride(FeatureLayout layout) {
        return (layout.inputWidth() + 7) & ~7;
    }

    /**
     * Rows per member of a chunk: as many as the table holds, at most what keeps the activation
     * buffer below maxActivationFloats.
     */
    private static int chunkRows(FeatureLayout layout, int members, boolean training, boolean tiled,
            long maxActivationFloats, int capacity) {
        int width = layout.width();
        // the CPU form's back-activation partial sums: 4 W floats per block of GEMM_ROWS rows
        long partPerRow = training && !tiled
                ? (4L * width + CpuNetworkKernel.GEMM_ROWS - 1) / CpuNetworkKernel.GEMM_ROWS : 0;
        long perRow = layout.inputWidth() + 2L * layout.depth() * width
                + (training ? 2L * width + featureStride(layout) + 1 + partPerRow : 0);
        long cap = Math.max(1, maxActivationFloats / (members * perRow));
        return (int) Math.max(1, Math.min(Math.max(1, capacity), cap));
    }

    /** Sizes, row slots, per-member scalar indices, constants and the form's blocking. */
    private void setSizes(NetworkKernel k, ObservationModel likelihood, int viSamples) {
        int p = layout.parameterCount();
        int d = layout.columns();
        int g = layout.groupCount();
        int depth = layout.depth();
        int width = layout.width();
        k.memberCount = members;
        k.paramCount = p;
        k.columnCount = d;
        k.seasonalWidth = layout.seasonalWidth();
        k.featureCount = layout.inputWidth();
        k.featureStride = featureStride(layout);
        k.width = width;
        k.depth = depth;
        k.groupCount = g;
        k.interactionCount = layout.interactionCount();
        k.firstGroupSlot = KernelState.S_FIXED;
        k.firstLogScaleSlot = k.firstGroupSlot + g;
        k.slotCount = k.firstLogScaleSlot + d;
        k.chunkRows = chunkRows;
        k.training = training ? 1 : 0;
        k.likelihood = likelihoodCode(likelihood);
        k.sampleCount = Math.max(1, viSamples);
        k.invSqrtWidth = (float) (1 / Math.sqrt(width));
        k.beta1 = (float) Objective.BETA1;
        k.beta2 = (float) Objective.BETA2;
        k.adamEpsilon = (float) Objective.EPSILON;
        k.stateLength = viSamples > 0 ? 2 * p : p;
        k.gammaScalar = 2 + depth;
        k.inputScaleScalar = k.gammaScalar + g;
        k.noiseScalar = k.inputScaleScalar + d;
        k.scalarCount = k.noiseScalar + 1;
        k.memberScalars = new float[members * k.scalarCount];
        k.elementBlock = tiled ? 1 : KernelState.ELEMENT_BLOCK;
        k.rowBlock = tiled ? 1 : KernelState.ROW_BLOCK;
    }

    /** The parameter layout's offsets, feature groups, interactions and input scales. */
    private void setLayout(NetworkKernel k) {
        int depth = layout.depth();
        int g = layout.groupCount();
        int ni = layout.interactionCount();
        int d = layout.columns();
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
    }

    /**
     * The table: x, y, log Γ(1 + y) for count likelihoods, the seasonal features as a table of
     * distinct rows ({@link SeasonalTable}), and room for the batch rows of every member.
     */
    private void fillTable(NetworkKernel k, ObservationModel likelihood, int capacity, float[][] x,
            float[][] seasonal, float[] y) {
        int d = layout.columns();
        int s = layout.seasonalWidth();
        int n = Math.max(1, capacity);
        k.x = new float[n * d];
        k.y = new float[n];
        boolean counts = training && likelihood.isCount();
        k.logGammaY = new float[counts ? n : 1];
        k.seasonalIndex = new int[s > 0 ? n : 1];
        // a training table's distinct seasonal rows are known now; a prediction table may hold
        // up to one per row
        if (s > 0) {
            java.util.List<float[]> distinct = SeasonalTable.distinctRows(seasonal, x.length, k.seasonalIndex);
            k.seasonal = new float[(training ? Math.max(1, distinct.size()) : n) * s];
            SeasonalTable.pack(distinct, s, k.seasonal);
        } else {
            k.seasonal = new float[1];
        }
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, k.x, r * d, d);
            if (y != null) {
                k.y[r] = y[r];
                if (counts) {
                    k.logGammaY[r] = (float) NeuralFieldMath.logGamma(1.0 + y[r]);
                }
            }
        }
        k.batchRows = new int[members * n];
    }

    /** The regions of act, one after the other from act[1] (act[0] is the constant 1). */
    private void allocateActivations(NetworkKernel k) {
        int bc = chunkRows;
        int width = layout.width();
        int depth = layout.depth();
        long off = 1;
        k.featuresOffset = (int) off;
        off += (long) members * bc * layout.inputWidth();
        for (int l = 0; l < depth; l++) {
            uOffsets[l] = (int) off;
            off += (long) members * bc * width;
            hOffsets[l] = (int) off;
            off += (long) members * bc * width;
        }
        k.lastHiddenOffset = hOffsets[depth - 1];
        if (training) {
            k.dhOffset = (int) off;
            off += (long) members * bc * width;
            k.duOffset = (int) off;
            off += (long) members * bc * width;
            k.dFeaturesOffset = (int) off;
            off += (long) members * bc * featureStride(layout);
            k.outputGradOffset = (int) off;
            off += (long) members * bc;
            if (!tiled) {
                // one partial block per work-item of a product over the chunk's rows
                k.partialBlocks = (bc + CpuNetworkKernel.GEMM_ROWS - 1) / CpuNetworkKernel.GEMM_ROWS;
                k.partialOffset = (int) off;
                off += (long) members * k.partialBlocks * 4 * width;
            }
            for (int l = 0; l < depth; l++) {
                wtOffsets[l] = (int) off;
                off += (long) members * width * inStride(layout, l);
            }
        }
        if (off > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("activation buffer of " + off + " floats is too large");
        }
        k.act = new float[(int) off];
        k.act[0] = 1f;
    }

    /** Per-row and per-member buffers, parameters, gradients, moments, VI and summary buffers. */
    private void allocateState(NetworkKernel k, int viSamples) {
        int bc = chunkRows;
        int p = layout.parameterCount();
        int stateLen = k.stateLength;
        k.rowTerms = new float[training ? members * bc * k.slotCount : 1];
        k.reduced = new float[members * k.slotCount];
        k.params = new float[members * p];
        k.grad = new float[training ? members * p : 1];
        k.moment1 = new float[training ? members * stateLen : 1];
        k.moment2 = new float[training ? members * stateLen : 1];
        k.logPrior = new float[training ? members * p : 1];
        k.layerColumnSums = new float[training ? members * layout.depth() * 2 * layout.width() : 1];
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
        k.levels = new float[training ? 1 : DeviceNetwork.MAX_LEVELS];
        k.mixtureMean = new float[training ? 1 : bc];
        k.mixtureQuantiles = new float[training ? 1 : DeviceNetwork.MAX_LEVELS * bc];
    }

    /** Explicit buffer management, and every buffer marked for upload. */
    private static void upload(NetworkKernel k) {
        k.setExplicit(true);
        k.put(k.x).put(k.seasonal).put(k.seasonalIndex).put(k.y).put(k.logGammaY).put(k.batchRows)
                .put(k.params).put(k.grad).put(k.moment1).put(k.moment2)
                .put(k.surrogate).put(k.surrogateGrad).put(k.noise).put(k.noiseKeys).put(k.variationalLoss)
                .put(k.logQTerms).put(k.logSigma).put(k.levels).put(k.mixtureMean).put(k.mixtureQuantiles)
                .put(k.act).put(k.layerColumnSums).put(k.rowTerms).put(k.reduced).put(k.logPrior).put(k.loss)
                .put(k.outputs)
                .put(k.rhoOffsets).put(k.groupKind).put(k.groupStart).put(k.groupColumn).put(k.fourierDegree)
                .put(k.interactionA).put(k.interactionB)
                .put(k.inputScale).put(k.memberScalars);
    }
}
