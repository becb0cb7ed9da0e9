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
 *   <li>{@code x[row*D + i]}, {@code sea[seaRow[row]*S + j]}, {@code y[row]}: the training (or
 *       prediction) table, the seasonal features as a table of distinct rows;
 *   <li>{@code rows[m*bTotal + b]}: batch row b of member m (m = 0 for every member when
 *       {@code shared} is 1);
 *   <li>{@code par[k*P + e]}: parameter e of member k (the layout of
 *       {@link dev.bayesnf.core.FeatureLayout}); {@code grad}, {@code m1}, {@code m2} alike;
 *   <li>{@code act}: activations of the current row chunk; region R with C columns holds
 *       {@code act[R + (k*bc + r)*C + c]} for member k and chunk row r &lt; bc. {@code act[0]} is the
 *       constant 1 (a stride-0 "ones" operand for column sums);
 *   <li>{@code rowv[(k*bc + r)*NS + s]}: per-row contributions to the scalar gradients (slots
 *       {@code S_*}, then one per feature group γ and per column a), reduced in row order
 *       into {@code red[k*NS + s]}.
 * </ul>
 *
 * <p>Matrix products are batched and strided: C[k][m][n] = α Σ_t A[k][m][t] B[k][t][n] (+ C when
 * accumulating) with A in {@code act}, B in {@code par} or {@code act}, C in {@code act} or
 * {@code grad}; strides give every transposition the forward and backward passes need (the input
 * gradient reads a transposed copy of W_l, {@link #transposeRows}, so B's columns are contiguous).
 */
abstract class KernelState extends Kernel {
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
    /** Elements per block of the compensated sums over all parameters ({@link #lossPass}). */
    static final int SUM_BLOCK = 64;
    /** Elements per work-item of the element passes in the CPU form. */
    static final int ELEMENT_BLOCK = 512;
    /**
     * Chunk rows per work-item of the per-row passes ({@link #rowPasses}) in the CPU form
     * ({@link #rowBlock}; 1 in the GPU form): on pocl one row per work-item paid the kernel's per-work-item dispatch 32768 times per pass on
     * wind-cpu (per call with 16 rows: features 9.1 -> 7.0, output 3.3 -> 2.2, back-features 4.4
     * -> 2.9, activation 4.4 -> 3.8, back-activation 4.9 -> 4.3 ms).
     */
    static final int ROW_BLOCK = 16;

    /** Likelihood codes ({@link #lik}). */
    static final int LIK_NORMAL = 0;
    static final int LIK_NB = 1;
    static final int LIK_ZINB = 2;

    /** Root finding: value tolerance on the mixture CDF and iteration cap (as the Java predictor). */
    static final float ROOT_VALUE_TOLERANCE = 1.0e-5f;
    static final int ROOT_MAX_ITERATIONS = 60;

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

    static final float NOISE_FLOOR = 0.01f;
    static final float HALF_LOG_TWO_PI = 0.9189385332046727f;
    static final float KAPPA_PRIOR_LOC = -1.5f;
    static final float SCALE_FLOOR = 1.0e-4f;

    // ---- pass selection and sizes
    int mode;
    int nK;
    int nP;
    int nD;
    int nS;
    int nFin;
    int nW;
    int nL;
    int nG;
    int nNI;
    int nNS;
    int sG0;
    int sA0;
    int bc;
    int bTotal;
    int shared;
    int bn;
    int rowBase;
    int training;
    /** The likelihood: {@link #LIK_NORMAL}, {@link #LIK_NB} or {@link #LIK_ZINB}. */
    int lik;
    /** VI: Monte Carlo samples per step, and the current one. */
    int nSamp;
    int samp;

    // ---- parameter layout
    int aOff;
    int gammaOff;
    int lambdaOff;
    int outWOff;
    int outBOff;
    int outRhoOff;
    int[] rhoOffs;
    int[] gKind;
    int[] gStart;
    int[] gCol;
    int[] fdeg;
    int[] iA;
    int[] iB;
    float[] inScale;

    /**
     * Per-member scalars msc[k*nSc + i]: α, softplus(ρ_out), softplus(ρ_l) (L), softplus(γ_g) (G),
     * 1/(c_i e^{a_i}) (D), and at scN the NORMAL likelihood's 1/(√2 σ), σ = 0.01 + e^ν (used by
     * the prediction summary's mixture CDF).
     */
    float[] msc;
    int nSc;
    int scG;
    int scA;
    int scN;

    // ---- activation regions
    int h0Off;
    int lastHOff;
    int dhOff;
    int duOff;
    int dinOff;
    /**
     * Row stride of dL/dh⁰ at dinOff and of the transposed input weights W_0ᵀ: nFin rounded up
     * to a multiple of 8 (see {@code DeviceNetwork#inStride}).
     */
    int nFinS;
    int goOff;
    float invW;

    // ---- current layer
    int lIndex;
    int lUOff;
    int lHOff;
    int lBOff;
    int lRhoOff;
    int lWOff;
    int lWtOff;
    int lNin;
    /** Row stride of the current layer's transposed weights at lWtOff (lNin, padded for layer 0). */
    int lNinS;

    // ---- matrix product
    int gM;
    int gN;
    int gT;
    int gaOff;
    int gaSk;
    int gaSm;
    int gaSt;
    int gbSrc;
    int gbOff;
    int gbSk;
    int gbSt;
    int gbSn;
    int gcDst;
    int gcOff;
    int gcSk;
    int gcSm;
    int gAcc;
    float gAlpha;
    /** Rows of C one work-item of {@link #gemmAxpy} computes. */
    int gRows;
    /**
     * CPU form: what {@link #gemmAxpy} does with its rows of C once they are complete:
     * {@link #EPI_NONE}, {@link #EPI_ACTIVATION} (C is u of layer {@link #lIndex}: add the bias,
     * apply the activation), {@link #EPI_OUTPUT} (C is u of the last layer, when training: the
     * activation, then per row the output and likelihood ({@link #outputRow}) and the
     * back-activation, so the whole turn from the last layer's forward to its backward happens on
     * rows in cache) or {@link #EPI_BACK} (C is dL/dh of layer lIndex: the back-activation
     * with block partial sums, {@link #backRows}).
     */
    int gEpi;
    static final int EPI_NONE = 0;
    static final int EPI_ACTIVATION = 1;
    static final int EPI_BACK = 2;
    static final int EPI_OUTPUT = 3;
    /**
     * CPU form: region in act of the back-activation's per-block column sums,
     * act[partOff + ((k·nPB + b)·4 + c)·W + j] for member k and row block b: c = 0 the d/dα
     * contributions, 1 the d/d softplus(ρ_l) ones, 2 dL/du (the bias gradient), 3 (last layer
     * only) go·h (the output weights' gradient); nPB blocks per member. A block is the rows of one
     * work-item of the product whose epilogue wrote it, min(bn, {@link #GEMM_ROWS}) rows, so a
     * chunk of bn rows has ceil(bn / GEMM_ROWS) of them.
     */
    int partOff;
    int nPB;

    // ---- objective and optimiser
    float scale;
    float priorW;
    float lr;
    float c1;
    float c2;
    float beta1;
    float beta2;
    float adamEps;
    int stateLen;
    /** Elements per work-item of the element passes (1 in the GPU form). */
    int eb;
    /** Chunk rows per work-item of the per-row passes: {@link #ROW_BLOCK} (CPU form) or 1 (GPU form). */
    int rowBlock;

    // ---- buffers
    float[] x;
    float[] sea;
    int[] seaRow;
    float[] y;
    /** log Γ(1 + y) of every row, computed on the host in double (count likelihoods). */
    float[] lgy;
    int[] rows;
    float[] par;
    float[] grad;
    float[] m1;
    float[] m2;
    float[] act;
    float[] rowv;
    float[] red;
    float[] lp;
    /**
     * Per-layer column sums lsum[((k·L + l)·2 + c)·W + j] over the rows of the step: c = 0 the
     * d/dα contributions, c = 1 the d/d softplus(ρ_l) ones.
     */
    float[] lsum;
    float[] loss;
    float[] fout;
    /**
     * VI: surrogate state st[k·2P + e] (μ, then ρ), its gradient sg, the current sample's noise
     * eps[k·P + e] ({@link #viSample}), the loss.
     */
    float[] st;
    float[] sg;
    float[] eps;
    /** VI: the step's noise keys, vkey[k·S + s] = {@code CounterNormal.key(seed, k, s)}. */
    long[] vkey;
    float[] vloss;
    /** VI: the current sample's per-element log q terms without log σ, lqv[k·P + e]. */
    float[] lqv;
    /** VI: log σ of every surrogate element for the current step, lsig[k·P + e]. */
    float[] lsig;
    /** Prediction summary: quantile levels, and per chunk row the mixture mean and quantiles squant[j·bc + r]. */
    float[] qlev;
    int nQ;
    float[] smean;
    float[] squant;
}
