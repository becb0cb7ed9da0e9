package dev.bayesnf.opencl;

import com.aparapi.Kernel;

/**
 * The fields of the BayesNF network kernel ({@link NetworkKernel}) and the constants its passes and
 * its host ({@link DeviceNetwork}) share: pass selection, sizes, the parameter layout, the scalar
 * arguments of the current pass and the device buffers. No code: Aparapi turns every field a
 * pass reads into an argument of the OpenCL kernel, whichever class of the kernel's hierarchy
 * declares it, so the fields live here and the passes in the subclasses.
 *
 * <p>Buffers, all row-major and flat (index formulas documented here once):
 * <ul>
 *   <li>{@code x[row*D + i]}, {@code seasonal[seasonalIndex[row]*S + j]}, {@code y[row]}: the
 *       training (or prediction) table, the seasonal features as a table of distinct rows;
 *   <li>{@code batchRows[m*batchSize + b]}: batch row b of member m (m = 0 for every member when
 *       {@code sharedBatch} is 1);
 *   <li>{@code params[k*P + e]}: parameter e of member k (the layout of
 *       {@link dev.bayesnf.core.FeatureLayout}); {@code grad}, {@code moment1}, {@code moment2} alike;
 *   <li>{@code act}: activations of the current row chunk; region R with C columns holds
 *       {@code act[R + (k*chunkRows + r)*C + c]} for member k and chunk row r &lt; chunkRows.
 *       {@code act[0]} is the constant 1 (a stride-0 "ones" operand for column sums);
 *   <li>{@code rowTerms[(k*chunkRows + r)*NS + s]}: per-row contributions to the scalar gradients
 *       (slots {@code S_*}, then one per feature group γ and per column a), reduced in row order
 *       into {@code reduced[k*NS + s]}.
 * </ul>
 *
 * <p>Matrix products are batched and strided: C[k][m][n] = α Σ_t A[k][m][t] B[k][t][n] (+ C when
 * accumulating) with A in {@code act}, B in {@code params} or {@code act}, C in {@code act} or
 * {@code grad}; strides give every transposition the forward and backward passes need (the input
 * gradient reads a transposed copy of W_l, so B's columns are contiguous).
 *
 * <p>Sizes in the index formulas: K {@link #memberCount}, P {@link #paramCount}, D
 * {@link #columnCount}, S {@link #seasonalWidth}, W {@link #width}, L {@link #depth}, NS
 * {@link #slotCount}.
 */
abstract class KernelState extends Kernel {
    /** Pass numbers ({@link #mode}). */
    static final int M_GEMM = 1;
    static final int M_FEATURES = 2;
    static final int M_ACTIVATION = 3;
    static final int M_OUTPUT = 4;
    static final int M_BACK_ACTIVATION = 5;
    static final int M_BACK_FEATURES = 6;
    static final int M_REDUCE = 7;
    static final int M_FINISH_GRADIENT = 8;
    static final int M_LOSS = 9;
    static final int M_ADAM = 10;
    static final int M_ZERO = 11;
    static final int M_SCALARS = 12;
    static final int M_GEMM_AXPY = 13;
    static final int M_LAYER_SUMS = 14;
    static final int M_TRANSPOSE = 15;
    static final int M_LAYER_SUMS_ROWS = 16;
    static final int M_VI_ZERO = 17;
    static final int M_VI_SAMPLE = 18;
    static final int M_VI_ACCUMULATE = 19;
    static final int M_VI_LOSS = 20;
    static final int M_VI_FINISH = 21;
    static final int M_ADAM_VI = 22;
    static final int M_SUMMARY = 23;
    static final int M_PRIOR = 24;
    static final int M_TRANSPOSE_ROWS = 25;
    /** Elements per block of the compensated sums over all parameters ({@link NetworkKernel#lossPass}). */
    static final int SUM_BLOCK = 64;
    /** Elements per work-item of the element passes in the CPU form. */
    static final int ELEMENT_BLOCK = 512;
    /**
     * Chunk rows per work-item of the per-row passes ({@link NetworkKernel#rowPasses}) in the CPU
     * form ({@link #rowBlock}; 1 in the GPU form): with one row per work-item, pocl paid the
     * kernel's per-work-item dispatch for every row of every pass.
     */
    static final int ROW_BLOCK = 16;

    /** Likelihood codes ({@link #likelihood}). */
    static final int LIK_NORMAL = 0;
    static final int LIK_NB = 1;
    static final int LIK_ZINB = 2;

    /** Root finding: value tolerance on the mixture CDF and iteration cap (as the Java predictor). */
    static final float ROOT_VALUE_TOLERANCE = 1.0e-5f;
    static final int ROOT_MAX_ITERATIONS = 60;

    /** Feature group kinds ({@link #groupKind}; any other value: interactions). */
    static final int GROUP_LINEAR = 0;
    static final int GROUP_FOURIER = 1;
    static final int GROUP_SEASONAL = 2;

    /** Row slots: log-likelihood, d/dν, d/dκ, d/dζ, d/d softplus(ρ_out), d/db_out. */
    static final int S_LL = 0;
    static final int S_NU = 1;
    static final int S_KAPPA = 2;
    static final int S_ZETA = 3;
    static final int S_SO = 4;
    static final int S_BOUT = 5;
    /** First slot after the fixed ones (the feature-group slots start here). */
    static final int S_FIXED = 6;

    /** σ = NOISE_FLOOR + e^ν (NORMAL likelihood), as {@code ObservationModel}. */
    static final float NOISE_FLOOR = 0.01f;
    static final float HALF_LOG_TWO_PI = 0.9189385332046727f;
    /** Location of κ's logistic prior (spec §4.3; 0 for every other parameter). */
    static final float KAPPA_PRIOR_LOC = -1.5f;
    /** VI: σ = SCALE_FLOOR + softplus(ρ) of a surrogate element. */
    static final float SCALE_FLOOR = 1.0e-4f;

    // ---- pass selection and sizes
    /** The pass the next execution runs ({@code M_*}). */
    int mode;
    /** Members K of the ensemble, parameters P per member. */
    int memberCount;
    int paramCount;
    /** Input columns D, seasonal features S per row, features of the first layer (h⁰). */
    int columnCount;
    int seasonalWidth;
    int featureCount;
    /** Hidden width W and hidden layers L. */
    int width;
    int depth;
    /** Feature groups and pairwise interactions of the layout. */
    int groupCount;
    int interactionCount;
    /**
     * Row slots NS per row of {@link #rowTerms}: {@link #S_FIXED} fixed ones, then one per feature
     * group from firstGroupSlot, then one per input column (the log-scale a_i) from
     * firstLogScaleSlot.
     */
    int slotCount;
    int firstGroupSlot;
    int firstLogScaleSlot;
    /** Rows per member a chunk holds (the row stride of every per-row region). */
    int chunkRows;
    /** Rows per member of the uploaded batch, and 1 when all members share one list. */
    int batchSize;
    int sharedBatch;
    /** Rows of the current chunk (at most chunkRows), and its first row in the batch. */
    int rowsInChunk;
    int chunkStart;
    /** 1 for a training network (row gradients, likelihood), 0 for prediction. */
    int training;
    /** The likelihood: {@link #LIK_NORMAL}, {@link #LIK_NB} or {@link #LIK_ZINB}. */
    int likelihood;
    /** VI: Monte Carlo samples per step, and the current one. */
    int sampleCount;
    int sample;

    // ---- parameter layout (offsets within one member's P parameters, as FeatureLayout's)
    /** Input log-scales a_i, feature-group scales γ_g, α's λ, output weights, bias and ρ_out. */
    int logScaleOffset;
    int gammaOffset;
    int lambdaOffset;
    int outWeightOffset;
    int outBiasOffset;
    int outRhoOffset;
    /** ρ_l of each hidden layer. */
    int[] rhoOffsets;
    /** Per feature group: kind ({@code GROUP_*}), first feature in h⁰, input column. */
    int[] groupKind;
    int[] groupStart;
    int[] groupColumn;
    /** Fourier degree per input column. */
    int[] fourierDegree;
    /** The two input columns of each interaction. */
    int[] interactionA;
    int[] interactionB;
    /** The fixed input scale c_i of each column. */
    float[] inputScale;

    /**
     * Per-member scalars memberScalars[k*scalarCount + i]: α, softplus(ρ_out), softplus(ρ_l) (L of
     * them), softplus(γ_g) (G, from gammaScalar), 1/(c_i e^{a_i}) (D, from inputScaleScalar), and at
     * noiseScalar the NORMAL likelihood's 1/(√2 σ), σ = 0.01 + e^ν (used by the prediction
     * summary's mixture CDF).
     */
    float[] memberScalars;
    int scalarCount;
    int gammaScalar;
    int inputScaleScalar;
    int noiseScalar;

    // ---- regions of act (see the class comment)
    /** h⁰ (featureCount columns) and the last hidden layer's h (W). */
    int featuresOffset;
    int lastHiddenOffset;
    /** Training: dL/dh and dL/du of the current layer (W columns), dL/dh⁰ (featureStride). */
    int dhOffset;
    int duOffset;
    int dFeaturesOffset;
    /**
     * Row stride of dL/dh⁰ at dFeaturesOffset and of the transposed input weights W_0ᵀ:
     * featureCount rounded up to a multiple of 8 (see {@code DeviceNetwork#inStride}).
     */
    int featureStride;
    /** Training: one value per row, dL/df · softplus(ρ_out), the output's gradient. */
    int outputGradOffset;
    /** 1/√W, the output layer's scale. */
    float invSqrtWidth;

    // ---- current layer (DeviceNetwork#setLayer)
    /** Its index l, the offsets of its u and h in act and of its bias, ρ_l and weights W_l. */
    int layer;
    int layerUOffset;
    int layerHOffset;
    int layerBiasOffset;
    int layerRhoOffset;
    int layerWeightOffset;
    /** Offset in act of W_lᵀ (written by the transposition passes). */
    int layerTransposedOffset;
    /** Its input width. */
    int layerInputs;
    /** Row stride of W_lᵀ at layerTransposedOffset (layerInputs, padded for layer 0). */
    int layerInputStride;

    // ---- matrix product C[k][m][n] = α Σ_t A[k][m][t] B[k][t][n] (+ C), see DeviceNetwork#gemm
    /** Its shape: C is M x N, the inner dimension T. */
    int gemmM;
    int gemmN;
    int gemmT;
    /** A in act at offset + k·member + m·row + t·inner. */
    int gemmAOffset;
    int gemmAMemberStride;
    int gemmARowStride;
    int gemmAInnerStride;
    /** B in params (source 0) or act (1) at offset + k·member + t·inner + n·column. */
    int gemmBSource;
    int gemmBOffset;
    int gemmBMemberStride;
    int gemmBInnerStride;
    int gemmBColumnStride;
    /** C in act (target 0) or grad (1) at offset + k·member + m·row + n. */
    int gemmCTarget;
    int gemmCOffset;
    int gemmCMemberStride;
    int gemmCRowStride;
    /** 1: C += α A·B; 0: C = α A·B. */
    int gemmAccumulate;
    float gemmAlpha;
    /** Rows of C one work-item of {@link CpuNetworkKernel#gemmAxpy} computes. */
    int gemmRows;
    /**
     * CPU form: what {@link CpuNetworkKernel#gemmAxpy} does with its rows of C once they are
     * complete: {@link #EPI_NONE}, {@link #EPI_ACTIVATION} (C is u of layer {@link #layer}: add
     * the bias, apply the activation), {@link #EPI_OUTPUT} (C is u of the last layer, when
     * training: the activation, then per row the output and likelihood
     * ({@link NetworkKernel#outputRow}) and the back-activation, so the whole turn from the last
     * layer's forward to its backward happens on rows in cache) or {@link #EPI_BACK} (C is dL/dh
     * of the current layer: the back-activation with block partial sums,
     * {@link CpuNetworkKernel#backRows}).
     */
    int gemmEpilogue;
    static final int EPI_NONE = 0;
    static final int EPI_ACTIVATION = 1;
    static final int EPI_BACK = 2;
    static final int EPI_OUTPUT = 3;
    /**
     * CPU form: region in act of the back-activation's per-block column sums,
     * act[partialOffset + ((k·partialBlocks + b)·4 + c)·W + j] for member k and row block b: c = 0
     * the d/dα contributions, 1 the d/d softplus(ρ_l) ones, 2 dL/du (the bias gradient), 3 (last
     * layer only) go·h (the output weights' gradient); partialBlocks blocks per member. A block is
     * the rows of one work-item of the product whose epilogue wrote it, min(rowsInChunk,
     * {@link CpuNetworkKernel#GEMM_ROWS}) rows, so a chunk of rowsInChunk rows has
     * ceil(rowsInChunk / GEMM_ROWS) of them.
     */
    int partialOffset;
    int partialBlocks;

    // ---- objective and optimiser
    /** The likelihood's weight N / |B| (divided by the KL weight for VI), and the prior's. */
    float lossScale;
    float priorWeight;
    /** Adam: step size, bias corrections 1 - β1^t and 1 - β2^t, β1, β2, ε. */
    float learningRate;
    float biasCorrection1;
    float biasCorrection2;
    float beta1;
    float beta2;
    float adamEpsilon;
    /** Optimised values per member: P, or 2P for VI's (μ, ρ). */
    int stateLength;
    /** Elements per work-item of the element passes (1 in the GPU form). */
    int elementBlock;
    /** Chunk rows per work-item of the per-row passes: {@link #ROW_BLOCK} (CPU form) or 1 (GPU form). */
    int rowBlock;

    // ---- buffers (see the class comment)
    float[] x;
    float[] seasonal;
    int[] seasonalIndex;
    float[] y;
    /** log Γ(1 + y) of every row, computed on the host in double (count likelihoods). */
    float[] logGammaY;
    int[] batchRows;
    float[] params;
    float[] grad;
    /** Adam's first and second moments of the state. */
    float[] moment1;
    float[] moment2;
    float[] act;
    float[] rowTerms;
    float[] reduced;
    /** log Logistic(θ; loc, 1) of every parameter (the prior's terms, summed by the loss pass). */
    float[] logPrior;
    /**
     * Per-layer column sums layerColumnSums[((k·L + l)·2 + c)·W + j] over the rows of the step:
     * c = 0 the d/dα contributions, c = 1 the d/d softplus(ρ_l) ones.
     */
    float[] layerColumnSums;
    /** Loss of each member, and network outputs f of the chunk's rows, outputs[k·chunkRows + r]. */
    float[] loss;
    float[] outputs;
    /**
     * VI: surrogate state surrogate[k·2P + e] (μ, then ρ), its gradient surrogateGrad, the current
     * sample's noise noise[k·P + e] ({@link VariationalPasses#viSample}), the loss.
     */
    float[] surrogate;
    float[] surrogateGrad;
    float[] noise;
    /** VI: the step's noise keys, noiseKeys[k·S + s] = {@code CounterNormal.key(seed, k, s)}. */
    long[] noiseKeys;
    float[] variationalLoss;
    /** VI: the current sample's per-element log q terms without log σ, logQTerms[k·P + e]. */
    float[] logQTerms;
    /** VI: log σ of every surrogate element for the current step, logSigma[k·P + e]. */
    float[] logSigma;
    /**
     * Prediction summary: quantile levels (levelCount of them), and per chunk row the mixture mean
     * and quantiles mixtureQuantiles[j·chunkRows + r].
     */
    float[] levels;
    int levelCount;
    float[] mixtureMean;
    float[] mixtureQuantiles;
}
