package dev.bayesnf.opencl;

import com.aparapi.Kernel;

/**
 * The BayesNF network of spec §4.2 as one Aparapi kernel with several passes, chosen by
 * {@link #mode}: the host ({@link DeviceNetwork}) sets the pass's scalar fields and executes it
 * over a range. All arrays stay on the device between passes (explicit buffer management), so one
 * training step of a whole ensemble uploads only the batch row indices and downloads K losses.
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
 *
 * <p>Two forms of the heavy passes, chosen by the host per device ({@code DeviceNetwork}), each
 * its own kernel class so that each compiled kernel holds only its own passes:
 * <ul>
 *   <li>GPU form ({@link GpuNetworkKernel}): one work-item per output element (activation,
 *       back-activation, layer sums, and the element passes with {@link #eb} = 1) and products
 *       tiled through local memory, coalesced along the contiguous dimension;
 *   <li>CPU form (this class): one work-item per block of rows, member or block of elements with
 *       a contiguous inner loop ({@link #gemmAxpy}, {@link #layerSumsRows},
 *       {@link #transposeRows}, the element passes with {@link #eb} =
 *       {@link #ELEMENT_BLOCK}); no barrier anywhere (see {@link GpuNetworkKernel}). CPU
 *       drivers such as pocl vectorise loops inside a work-item, but did not vectorise across
 *       the work-items of this many-pass kernel (an
 *       element-per-work-item activation pass ran 8x slower than the row form on pocl). A
 *       work-item owns whole rows, so the elementwise work on a product's result runs in the
 *       product's epilogue while the rows are in cache ({@link #gEpi}): the bias and activation
 *       after the forward products, when training after the last one also the output, the
 *       likelihood and the last layer's back-activation, and the back-activation after the
 *       input-gradient products.
 * </ul>
 * VI adds the reparameterisation passes ({@link #viSample} and the following), and prediction a
 * per-row summary ({@link #summary}: mixture mean and quantiles by bracketed root finding).
 *
 * <p>Float32 throughout, with the Kernel's float maths (no double precision on the device).
 * Aparapi caveats respected: no switch, no enhanced for, no objects, no allocation in passes.
 *
 * <p>Not thread-safe: one host thread drives a kernel.
 */
class NetworkKernel extends Kernel {
    /** Tile edge of the matrix-product pass (work-groups are TILE × TILE). */
    static final int TILE = 16;

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

    /** Pass names by mode number (profiles and messages). */
    static final String[] MODE_NAMES = {"", "gemm", "features", "activation", "output", "back-activation",
        "back-features", "reduce", "finish-gradient", "loss", "adam", "zero", "scalars", "gemm-axpy", "layer-sums",
        "transpose", "layer-sums-rows", "vi-zero", "vi-sample",
        "vi-accumulate", "vi-loss", "vi-finish", "adam-vi", "summary", "prior", "transpose-rows"};

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
    /** Rows of C per work-item of {@link #gemmAxpy}, at most (fewer when M is smaller). */
    static final int GEMM_ROWS = 128;
    /** Columns of B one private block of {@link #gemmAxpy} holds. */
    static final int BP_N = 256;
    /**
     * Four rows of B (up to {@link #BP_N} columns each) in private memory, per work-item of
     * {@link #gemmAxpy} (4 KiB; the CPU form's only private array, hence not in the GPU form).
     */
    @PrivateMemorySpace(4 * BP_N) float[] bp = new float[4 * BP_N];

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

    @Override
    public void run() {
        if (mode == M_GEMM_AXPY) {
            gemmAxpy();
        } else if (mode == M_LAYER_SUMS_ROWS) {
            layerSumsRows();
        } else if (mode == M_TRANSPOSE_ROWS) {
            transposeRows();
        } else {
            passes();
        }
    }

    /**
     * Runs the pass {@link #mode} names among those both forms share; {@link #run} adds the CPU
     * form's own passes and {@link GpuNetworkKernel#run} the GPU form's. Each form's kernel thus
     * contains only its own passes: the CPU form's product uses a private array the GPU form should
     * not reserve per work-item, and the GPU form's product uses barriers (see
     * {@link GpuNetworkKernel}).
     */
    void passes() {
        if (mode == M_FEATURES || mode == M_OUTPUT || mode == M_BACK_FEATURES) {
            rowPasses();
        } else if (mode == M_REDUCE) {
            reduce();
        } else if (mode == M_FINISH_GRADIENT) {
            finishGradient();
        } else if (mode == M_LOSS) {
            lossPass();
        } else if (mode == M_ADAM) {
            adam();
        } else if (mode == M_ZERO) {
            zero();
        } else if (mode == M_SCALARS) {
            scalars();
        } else if (mode == M_VI_ZERO) {
            viZero();
        } else if (mode == M_VI_SAMPLE) {
            viSample();
        } else if (mode == M_VI_ACCUMULATE) {
            viAccumulate();
        } else if (mode == M_VI_LOSS) {
            viLoss();
        } else if (mode == M_VI_FINISH) {
            viFinish();
        } else if (mode == M_ADAM_VI) {
            adamVi();
        } else if (mode == M_SUMMARY) {
            summary();
        } else if (mode == M_PRIOR) {
            prior();
        }
    }

    // ------------------------------------------------------------------ scalar maths

    /**
     * softplus(v) = max(v, 0) + log1p(q) with q = e^{-|v|} ≤ 1, and log1p(q) in plain arithmetic
     * as 2 atanh(z), z = q / (2 + q) ≤ 1/3, summed to the z¹⁷ term (truncation below 2e-10
     * relative; measured worst error of the log1p 2.3e-7 relative for normal floats, against 6e-8
     * for a correctly rounded float). Why not the built-in log1p: pocl keeps it an out-of-line
     * call, which stops its compiler from vectorising any loop that uses it (the prior pass over
     * all parameters took 5.5 ms per wind-cpu step with it). Inline here rather than a helper:
     * Aparapi emitted a helper of this helper after its caller.
     */
    float softplusF(float v) {
        float q = exp(-abs(v));
        float z = q / (2f + q);
        float z2 = z * z;
        float series = 1f + z2 * (1f / 3f + z2 * (1f / 5f + z2 * (1f / 7f + z2 * (1f / 9f + z2 * (1f / 11f
                + z2 * (1f / 13f + z2 * (1f / 15f + z2 * (1f / 17f))))))));
        return max(v, 0f) + 2f * z * series;
    }

    /** The logistic sigmoid, without overflow. */
    float sigmoidF(float v) {
        float e = exp(-abs(v));
        return v >= 0f ? 1f / (1f + e) : e / (1f + e);
    }

    /**
     * α elu(p) + (1-α) tanh(p) from a single exponential q = e^{-|p|}: elu(p) = q - 1 for p ≤ 0
     * and tanh|p| = (1 - q²)/(1 + q²). One exponential instead of two (elu's and tanh's); the
     * backward passes use the same identities.
     */
    float activationF(float p, float a) {
        float q = exp(-abs(p));
        float q2 = q * q;
        float t = (1f - q2) / (1f + q2);
        float e = p > 0f ? p : q - 1f;
        return a * e + (1f - a) * (p > 0f ? t : -t);
    }

    /** log softplus(v), without underflow for very negative v (where softplus(v) ≈ e^v). */
    float logSoftplusF(float v) {
        return v < -15f ? v : log(softplusF(v));
    }

    /** sigmoid(v) / softplus(v) (d log softplus / dv), which tends to 1 for very negative v. */
    float sigmoidOverSoftplusF(float v) {
        return v < -15f ? 1f : sigmoidF(v) / softplusF(v);
    }

    /**
     * log Γ(x) for x &gt; 0 in float: Lanczos (g = 7, nine terms, the coefficients of
     * {@code NeuralFieldMath.logGamma}), shifted by one below 0.5 (log Γ(x) = log Γ(x+1) - log x).
     */
    float lgammaF(float x0) {
        float x = x0;
        float add = 0f;
        if (x < 0.5f) {
            add = -log(x);
            x = x + 1f;
        }
        float xx = x - 1f;
        float a = 0.99999999999980993f + 676.5203681218851f / (xx + 1f) - 1259.1392167224028f / (xx + 2f)
                + 771.32342877765313f / (xx + 3f) - 176.61502916214059f / (xx + 4f)
                + 12.507343278686905f / (xx + 5f) - 0.13857109526572012f / (xx + 6f)
                + 9.9843695780195716e-6f / (xx + 7f) + 1.5056327351493116e-7f / (xx + 8f);
        float t = xx + 7.5f;
        return add + HALF_LOG_TWO_PI + (xx + 0.5f) * log(t) - t + log(a);
    }

    /** The digamma function ψ(x) for x &gt; 0 in float (recurrence to x ≥ 6, then the asymptotic series). */
    float digammaF(float x0) {
        float x = x0;
        float r = 0f;
        while (x < 6f) {
            r -= 1f / x;
            x += 1f;
        }
        float f = 1f / (x * x);
        return r + log(x) - 0.5f / x
                - f * (1f / 12f - f * (1f / 120f - f * (1f / 252f - f * (1f / 240f - f / 132f))));
    }

    /**
     * log NB(k | f, κ) with TFP's convention (r = 1/softplus(κ), logits ℓ = -log softplus(κ) -
     * log softplus(f)); {@code lgk} = log Γ(1 + k). As {@code ObservationModel} computes it.
     */
    float nbLogProb(float k, float f, float kap, float lgk) {
        float s = softplusF(kap);
        float r = 1f / s;
        float lg = -log(s) - logSoftplusF(f);
        return -r * softplusF(lg) - k * softplusF(-lg) - (lgk + lgammaF(r) - lgammaF(1f + k + r)) - log(r + k);
    }

    /** d log NB / df. */
    float nbDf(float k, float f, float kap) {
        float s = softplusF(kap);
        float r = 1f / s;
        float lg = -log(s) - logSoftplusF(f);
        float dl = -r * sigmoidF(lg) + k * sigmoidF(-lg);
        return -dl * sigmoidOverSoftplusF(f);
    }

    /** d log NB / dκ. */
    float nbDkappa(float k, float f, float kap) {
        float s = softplusF(kap);
        float r = 1f / s;
        float lg = -log(s) - logSoftplusF(f);
        float dl = -r * sigmoidF(lg) + k * sigmoidF(-lg);
        float dr = -softplusF(lg) - digammaF(r) + digammaF(1f + k + r) - 1f / (r + k);
        float sk = sigmoidF(kap);
        return dl * (-sk / s) + dr * (-sk / (s * s));
    }

    /** Scaled input z_i = x_i / (c_i e^{a_i}) of a data row for member scalar base kb = k·nSc. */
    float zOf(int kb, int row, int i) {
        return x[row * nD + i] * msc[kb + scA + i];
    }

    int dataRow(int k, int r) {
        return rows[(shared != 0 ? 0 : k) * bTotal + rowBase + r];
    }

    // ------------------------------------------------------------------ passes

    /**
     * The per-row passes ({@link #featureRow}, {@link #outputRow}, {@link #backFeatureRow}, chosen
     * by {@link #mode}) over {@link #rowBlock} chunk rows of one member per work-item.
     * Range (pad(ceil(bc / rowBlock)), K).
     */
    void rowPasses() {
        int k = getGlobalId(1);
        int r0 = getGlobalId(0) * rowBlock;
        int rEnd = min(bn, r0 + rowBlock);
        for (int r = r0; r < rEnd; r++) {
            if (mode == M_FEATURES) {
                featureRow(k, r);
            } else if (mode == M_OUTPUT) {
                outputRow(k, r);
            } else {
                backFeatureRow(k, r);
            }
        }
    }

    /** h⁰ of chunk row r of member k; clears the row's gradient slots. */
    void featureRow(int k, int r) {
        {
            int row = dataRow(k, r);
            int kb = k * nSc;
            int hb = h0Off + (k * bc + r) * nFin;
            int rb = (k * bc + r) * nNS;
            if (training != 0) {
                for (int s = 0; s < nNS; s++) {
                    rowv[rb + s] = 0f;
                }
            }
            for (int g = 0; g < nG; g++) {
                float sg = msc[kb + scG + g];
                int st = hb + gStart[g];
                int kind = gKind[g];
                if (kind == GROUP_LINEAR) {
                    for (int i = 0; i < nD; i++) {
                        act[st + i] = sg * zOf(kb, row, i);
                    }
                } else if (kind == GROUP_FOURIER) {
                    int col = gCol[g];
                    int deg = fdeg[col];
                    float zc = zOf(kb, row, col);
                    float fr = 2f;
                    for (int d = 0; d < deg; d++) {
                        float div = d + 1;
                        act[st + d] = sg * cospi(fr * zc) / div;
                        act[st + deg + d] = sg * sinpi(fr * zc) / div;
                        fr = fr * 2f;
                    }
                } else if (kind == GROUP_SEASONAL) {
                    for (int j = 0; j < nS; j++) {
                        act[st + j] = sg * sea[seaRow[row] * nS + j];
                    }
                } else {
                    for (int m = 0; m < nNI; m++) {
                        act[st + m] = sg * zOf(kb, row, iA[m]) * zOf(kb, row, iB[m]);
                    }
                }
            }
        }
    }

    /**
     * Network output f of chunk row r of member k; when training, the NORMAL likelihood, its row
     * gradients and dL/dh of the last hidden layer.
     */
    void outputRow(int k, int r) {
        {
            int pb = k * nP;
            int hb = lastHOff + (k * bc + r) * nW;
            // four partial sums: a single running sum is one long chain of dependent
            // multiply-adds per row, which left this pass waiting on latency (5.1 -> %s ms per
            // wind-cpu step on pocl)
            int wb = pb + outWOff;
            float acc0 = 0f;
            float acc1 = 0f;
            float acc2 = 0f;
            float acc3 = 0f;
            int j4 = nW - nW % 4;
            for (int j = 0; j < j4; j += 4) {
                acc0 += act[hb + j] * par[wb + j];
                acc1 += act[hb + j + 1] * par[wb + j + 1];
                acc2 += act[hb + j + 2] * par[wb + j + 2];
                acc3 += act[hb + j + 3] * par[wb + j + 3];
            }
            for (int j = j4; j < nW; j++) {
                acc0 += act[hb + j] * par[wb + j];
            }
            float v = ((acc0 + acc1) + (acc2 + acc3)) * invW + par[pb + outBOff];
            float so = msc[k * nSc + 1];
            float f = so * v;
            if (training == 0) {
                fout[k * bc + r] = f;
            } else {
                int row = dataRow(k, r);
                int rb = (k * bc + r) * nNS;
                float gf = 0f;
                if (lik == LIK_NORMAL) {
                    float e = exp(par[pb]);
                    float sigma = NOISE_FLOOR + e;
                    float res = (y[row] - f) / sigma;
                    rowv[rb + S_LL] = -0.5f * res * res - log(sigma) - HALF_LOG_TWO_PI;
                    gf = -scale * res / sigma;
                    rowv[rb + S_NU] = -scale * (res * res - 1f) / sigma * e;
                } else {
                    gf = countRow(rb, y[row], lgy[row], f, par[pb + 1], par[pb + 2]);
                }
                rowv[rb + S_SO] = gf * v;
                rowv[rb + S_BOUT] = gf * so;
                float go = gf * so;
                act[goOff + k * bc + r] = go;
                // the CPU form forms dL/dh of the last layer in its back-activation instead
                if (mode == M_OUTPUT) {
                    int db = dhOff + (k * bc + r) * nW;
                    for (int j = 0; j < nW; j++) {
                        act[db + j] = go * par[pb + outWOff + j] * invW;
                    }
                }
            }
        }
    }

    /**
     * The NB or ZINB log-likelihood of one row into rowv[rb + S_LL] and -scale × its κ and ζ
     * derivatives into their slots (as {@code ObservationModel.logProb}); returns -scale × d/df.
     */
    float countRow(int rb, float yk, float lgk, float f, float kap, float zeta) {
        float ll = 0f;
        float gF = 0f;
        float gK = 0f;
        float gZ = 0f;
        if (lik == LIK_NB) {
            ll = nbLogProb(yk, f, kap, lgk);
            gF = nbDf(yk, f, kap);
            gK = nbDkappa(yk, f, kap);
        } else {
            float logPi = -softplusF(-zeta);
            float log1mPi = -softplusF(zeta);
            float pi = sigmoidF(zeta);
            if (yk == 0f) {
                float b = log1mPi + nbLogProb(0f, f, kap, 0f);
                float mx = max(logPi, b);
                ll = mx + log(exp(logPi - mx) + exp(b - mx));
                float wNb = exp(b - ll);
                float wPi = exp(logPi - ll);
                gF = wNb * nbDf(0f, f, kap);
                gK = wNb * nbDkappa(0f, f, kap);
                gZ = wPi * (1f - pi) - wNb * pi;
            } else {
                ll = log1mPi + nbLogProb(yk, f, kap, lgk);
                gF = nbDf(yk, f, kap);
                gK = nbDkappa(yk, f, kap);
                gZ = -pi;
            }
        }
        rowv[rb + S_LL] = ll;
        rowv[rb + S_KAPPA] = -scale * gK;
        rowv[rb + S_ZETA] = -scale * gZ;
        return -scale * gF;
    }

    /** tanh(p) from q = e^{-|p|}: tanh|p| = (1 - q²)/(1 + q²), signed. */
    float tanhFromQ(float p, float q) {
        float q2 = q * q;
        float t = (1f - q2) / (1f + q2);
        return p > 0f ? t : -t;
    }

    /**
     * d/dp of α elu(p) + (1-α) tanh(p), p = s·u with s &gt; 0, from ev = elu(p) and tv = tanh(p):
     * α elu'(p) + (1-α)(1 - tv²), elu'(p) = 1 for u &gt; 0, else ev + 1.
     */
    float activationSlope(float u, float ev, float tv, float a) {
        float eluGrad = u > 0f ? 1f : ev + 1f;
        return a * eluGrad + (1f - a) * (1f - tv * tv);
    }

    /**
     * One element i of {@link GpuNetworkKernel#backActivation}: dL/du from dL/dh and u, with elu
     * and tanh from the single exponential e^{-|p|}; the α and ρ_l contributions replace dL/dh and
     * u.
     */
    void backElement(int i, float a, float s) {
        float dj = act[dhOff + i];
        float u = act[lUOff + i];
        float p = s * u;
        float q = exp(-abs(p));
        float ev = p > 0f ? p : q - 1f;
        float tv = tanhFromQ(p, q);
        float dp = dj * activationSlope(u, ev, tv, a);
        act[duOff + i] = dp * s;
        act[dhOff + i] = dj * (ev - tv);
        act[lUOff + i] = dp * u;
    }

    /**
     * The transposed weights W_lᵀ of layer l into act at lWtOff (Wt[k][t][n] = W_l[k][n][t]),
     * so that the input-gradient product reads B contiguously: one work-item per row t of Wᵀ,
     * strided reads, contiguous writes. Range (pad(W), K). The GPU form's one element per
     * work-item ({@link GpuNetworkKernel#transpose}) paid the kernel's per-work-item dispatch for
     * every element on pocl (3.1 ms per call for 8 x 128 x 128 elements on wind-cpu).
     */
    void transposeRows() {
        int t = getGlobalId(0);
        int k = getGlobalId(1);
        if (t < nW) {
            int dst = lWtOff + (k * nW + t) * lNinS;
            int src = k * nP + lWOff + t;
            for (int n = 0; n < lNin; n++) {
                act[dst + n] = par[src + n * nW];
            }
        }
    }

    /** Gradients of the feature scales γ and the input log-scales a from dL/dh⁰ of chunk row r of member k. */
    void backFeatureRow(int k, int r) {
        {
            int row = dataRow(k, r);
            int kb = k * nSc;
            int hb = h0Off + (k * bc + r) * nFin;
            int db = dinOff + (k * bc + r) * nFinS;
            int rb = (k * bc + r) * nNS;
            for (int g = 0; g < nG; g++) {
                float sg = msc[kb + scG + g];
                int st = gStart[g];
                int kind = gKind[g];
                int len = 0;
                if (kind == GROUP_LINEAR) {
                    len = nD;
                } else if (kind == GROUP_FOURIER) {
                    len = 2 * fdeg[gCol[g]];
                } else if (kind == GROUP_SEASONAL) {
                    len = nS;
                } else {
                    len = nNI;
                }
                float acc = 0f;
                for (int i = 0; i < len; i++) {
                    acc += act[db + st + i] * act[hb + st + i];
                }
                rowv[rb + sG0 + g] = acc / sg;
                if (kind == GROUP_LINEAR) {
                    for (int i = 0; i < nD; i++) {
                        rowv[rb + sA0 + i] -= act[db + st + i] * sg * zOf(kb, row, i);
                    }
                } else if (kind == GROUP_FOURIER) {
                    int col = gCol[g];
                    int deg = fdeg[col];
                    float dz = 0f;
                    float freq = 6.2831855f;
                    for (int d = 0; d < deg; d++) {
                        dz += freq * (-act[db + st + d] * act[hb + st + deg + d]
                                + act[db + st + deg + d] * act[hb + st + d]);
                        freq = freq * 2f;
                    }
                    rowv[rb + sA0 + col] -= dz * zOf(kb, row, col);
                } else if (kind != GROUP_SEASONAL) {
                    for (int m = 0; m < nNI; m++) {
                        int ia = iA[m];
                        int ib = iB[m];
                        float za = zOf(kb, row, ia);
                        float zb = zOf(kb, row, ib);
                        float dm = act[db + st + m] * sg;
                        rowv[rb + sA0 + ia] -= dm * zb * za;
                        rowv[rb + sA0 + ib] -= dm * za * zb;
                    }
                }
            }
        }
    }

    /** red[k][s] += Σ_{r &lt; bn} rowv[k][r][s], in row order. Range K·NS. */
    void reduce() {
        int gid = getGlobalId();
        int k = gid / nNS;
        int s = gid - k * nNS;
        if (k < nK) {
            float acc = 0f;
            for (int r = 0; r < bn; r++) {
                acc += rowv[(k * bc + r) * nNS + s];
            }
            red[gid] += acc;
        }
    }

    /**
     * Adds the reduced gradients of the scalar parameters (ν, κ, ζ, the input log-scales a, the
     * feature-group scales γ, α's λ, the layer scales ρ_l, b_out, ρ_out) with their transform
     * factors. One work-item per member: a few dozen elements, so the per-element work of the
     * prior ({@link #prior}) does not carry these branches. Range K.
     */
    void finishGradient() {
        int k = getGlobalId();
        if (k < nK) {
            int pb = k * nP;
            int rb = k * nNS;
            grad[pb] += red[rb + S_NU];
            grad[pb + 1] += red[rb + S_KAPPA];
            grad[pb + 2] += red[rb + S_ZETA];
            for (int i = 0; i < nD; i++) {
                grad[pb + aOff + i] += red[rb + sA0 + i];
            }
            for (int g = 0; g < nG; g++) {
                grad[pb + gammaOff + g] += red[rb + sG0 + g] * sigmoidF(par[pb + gammaOff + g]);
            }
            float al = sigmoidF(par[pb + lambdaOff]);
            float sa = 0f;
            for (int l = 0; l < nL; l++) {
                int o = ((k * nL + l) * 2) * nW;
                float ss = 0f;
                for (int j = 0; j < nW; j++) {
                    sa += lsum[o + j];
                    ss += lsum[o + nW + j];
                }
                grad[pb + rhoOffs[l]] += ss * sigmoidF(par[pb + rhoOffs[l]]);
            }
            grad[pb + lambdaOff] += sa * al * (1f - al);
            grad[pb + outBOff] += red[rb + S_BOUT];
            grad[pb + outRhoOff] += red[rb + S_SO] * sigmoidF(par[pb + outRhoOff]);
        }
    }

    // ---- element passes: range (pad(ceil(n / eb)), K), member k = getGlobalId(1); each work-item
    // handles elements [e0, e0 + eb) of one member. eb is 1 in the GPU form (one element per
    // work-item, coalesced) and ELEMENT_BLOCK in the CPU form (a contiguous loop the driver
    // vectorises); no index is divided.

    /** First element of this work-item's block. */
    int blockStart() {
        return getGlobalId(0) * eb;
    }

    /**
     * The prior: w · d/dθ of -log Logistic(θ; loc, 1) into grad, and log Logistic(θ; loc, 1) into
     * lp (loc = -1.5 for κ, 0 otherwise, spec §4.3). Elements: P.
     */
    void prior() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(nP, e0 + eb);
        for (int e = e0; e < end; e++) {
            int i = k * nP + e;
            float d = par[i] - (e == 1 ? KAPPA_PRIOR_LOC : 0f);
            // tanh(d/2) = ±(1 - q) / (1 + q), q = e^{-|d|}: arithmetic the compiler vectorises
            float q = exp(-abs(d));
            float th = (1f - q) / (1f + q);
            grad[i] += priorW * (d >= 0f ? th : -th);
            lp[i] = -d - 2f * softplusF(-d);
        }
    }

    /**
     * loss[k] = -scale Σ log p(y|θ) - w Σ log p(θ). Range K. The prior's sum over the P
     * parameters goes by blocks of {@link #SUM_BLOCK}, the block sums added with compensation
     * (Kahan): a plain float sum drifts by up to P·6e-8 of the sum of magnitudes, and at width 300
     * and depth 3 (P ≈ 2·10⁵) it moved the loss by 1.2e-4 of itself from the Java backend's.
     * Compensating every element instead made this pass 0.85 ms per wind-cpu step against 0.31
     * (the compensation is a chain of four dependent operations per addend).
     */
    void lossPass() {
        int k = getGlobalId();
        if (k < nK) {
            float prior = 0f;
            float comp = 0f;
            if (priorW != 0f) {
                for (int e0 = 0; e0 < nP; e0 += SUM_BLOCK) {
                    int end = min(nP, e0 + SUM_BLOCK);
                    float b = 0f;
                    for (int e = e0; e < end; e++) {
                        b += lp[k * nP + e];
                    }
                    float v = b - comp;
                    float t = prior + v;
                    comp = (t - prior) - v;
                    prior = t;
                }
            }
            loss[k] = -scale * red[k * nNS + S_LL] - priorW * prior;
        }
    }

    /** One Adam update of every state element of the point estimates (par from grad). Elements: P. */
    void adam() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(nP, e0 + eb);
        for (int e = e0; e < end; e++) {
            int i = k * nP + e;
            float g = grad[i];
            float a = beta1 * m1[i] + (1f - beta1) * g;
            float b = beta2 * m2[i] + (1f - beta2) * g * g;
            m1[i] = a;
            m2[i] = b;
            par[i] = par[i] - lr * (a / c1) / (sqrt(b / c2) + adamEps);
        }
    }

    /** One Adam update of every VI surrogate element (μ and ρ in st, from sg). Elements: 2P. */
    void adamVi() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(2 * nP, e0 + eb);
        for (int e = e0; e < end; e++) {
            int i = k * 2 * nP + e;
            float g = sg[i];
            float a = beta1 * m1[i] + (1f - beta1) * g;
            float b = beta2 * m2[i] + (1f - beta2) * g * g;
            m1[i] = a;
            m2[i] = b;
            st[i] = st[i] - lr * (a / c1) / (sqrt(b / c2) + adamEps);
        }
    }

    /**
     * Clears the VI gradient (and, in the first block, the member's VI loss), and stores log σ of
     * the step's surrogate for {@link #viLoss}. Elements: 2P. log σ is computed here, once per step,
     * rather than per sample in {@link #viSample}: pocl keeps log an out-of-line call, and a call
     * stops its compiler from vectorising the sampling loop (6.1 ms per call on wind-vi-cpu with
     * the log, 0.x ms without).
     */
    void viZero() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(2 * nP, e0 + eb);
        for (int e = e0; e < end; e++) {
            sg[k * 2 * nP + e] = 0f;
        }
        int pEnd = min(nP, end);
        for (int e = e0; e < pEnd; e++) {
            lsig[k * nP + e] = log(viSigma(k, e));
        }
        if (e0 == 0) {
            vloss[k] = 0f;
        }
    }

    /** σ of surrogate element (k, e): 1e-4 + softplus(ρ). */
    float viSigma(int k, int e) {
        return SCALE_FLOOR + softplusF(st[k * 2 * nP + nP + e]);
    }

    /**
     * Draws ε of sample {@link #samp} into eps ({@link #normalF}), then θ = μ + σ ε into par
     * (reparameterisation, spec §5.4), and the element's log q(θ) term without log σ,
     * -ε²/2 - log √(2π), into lqv. Elements: P.
     */
    void viSample() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(nP, e0 + eb);
        long key = vkey[k * nSamp + samp];
        for (int e = e0; e < end; e++) {
            eps[k * nP + e] = normalF(key, e);
        }
        for (int e = e0; e < end; e++) {
            float sigma = viSigma(k, e);
            float ev = eps[k * nP + e];
            par[k * nP + e] = st[k * 2 * nP + e] + sigma * ev;
            lqv[k * nP + e] = -0.5f * ev * ev - HALF_LOG_TWO_PI;
        }
    }

    /** SplitMix64's finaliser, as {@code CounterNormal.mix}. */
    long mixL(long z0) {
        long z = (z0 ^ (z0 >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code CounterNormal.normal(key, e)} in float: the same two 64-bit hashes and 53-bit
     * uniforms, each rounded once to float (relative error 6e-8, also for the smallest u1 of the
     * tail), then Box-Muller in float: √(-2 log u1)·cos(2π u2) as sqrt, log and cospi(2 u2), a few
     * ulp each. The draws equal the Java engine's double ones to a few 1e-7 relative (measured in
     * the parity tests through the VI gradients).
     */
    float normalF(long key, int e) {
        long c = e;
        long a = mixL(key + 0x9e3779b97f4a7c15L * (2L * c + 1L));
        long b = mixL(key + 0x9e3779b97f4a7c15L * (2L * c + 2L));
        float u1 = ((float) ((a >>> 11) + 1L)) * 0x1.0p-53f;
        float u2 = ((float) (b >>> 11)) * 0x1.0p-53f;
        return sqrt(-2f * log(u1)) * cospi(2f * u2);
    }

    /** Adds sample {@link #samp}'s dL/dθ to the surrogate gradient: dμ += g/S, dσ += g ε/S. Elements: P. */
    void viAccumulate() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(nP, e0 + eb);
        float inv = 1f / nSamp;
        int sb = k * 2 * nP;
        for (int e = e0; e < end; e++) {
            float g = grad[k * nP + e];
            sg[sb + e] += g * inv;
            sg[sb + nP + e] += g * eps[k * nP + e] * inv;
        }
    }

    /**
     * vloss[k] += (loss[k] + log q(θ_s)) / S, log q summed in element order from lqv and lsig,
     * compensated as in {@link #lossPass}. Range K.
     */
    void viLoss() {
        int k = getGlobalId();
        if (k < nK) {
            float lq = 0f;
            float comp = 0f;
            for (int e0 = 0; e0 < nP; e0 += SUM_BLOCK) {
                int end = min(nP, e0 + SUM_BLOCK);
                float b = 0f;
                for (int e = e0; e < end; e++) {
                    b += lqv[k * nP + e] - lsig[k * nP + e];
                }
                float v = b - comp;
                float t = lq + v;
                comp = (t - lq) - v;
                lq = t;
            }
            vloss[k] += (loss[k] + lq) / nSamp;
        }
    }

    /** dσ -= 1/σ (the entropy term), then dρ = dσ · sigmoid(ρ). Elements: P. */
    void viFinish() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(nP, e0 + eb);
        for (int e = e0; e < end; e++) {
            int i = k * 2 * nP + nP + e;
            sg[i] = (sg[i] - 1f / viSigma(k, e)) * sigmoidF(st[i]);
        }
    }

    // ------------------------------------------------------------------ prediction summary

    /** erfc(x), fractional error below 1.2e-7 (the Chebyshev fit {@code NeuralFieldMath.erfc} uses). */
    float erfcF(float x) {
        float z = abs(x);
        float t = 1f / (1f + 0.5f * z);
        float ans = t * exp(-z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
                + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
                + t * (-0.82215223f + t * 0.17087277f)))))))));
        return x >= 0f ? ans : 2f - ans;
    }

    /** NB mean 1/(s²·softplus(f)), s = softplus(κ) (the reference's link, spec §10.11). */
    float nbMeanF(float f, float kap) {
        float s = softplusF(kap);
        return 1f / (s * s * softplusF(f));
    }

    /** Predictive mean of member k's component at network output f. */
    float compMean(int k, float f) {
        int pb = k * nP;
        float m = f;
        if (lik != LIK_NORMAL) {
            m = nbMeanF(f, par[pb + 1]);
            if (lik == LIK_ZINB) {
                m = (1f - sigmoidF(par[pb + 2])) * m;
            }
        }
        return m;
    }

    /** Predictive standard deviation of member k's component. */
    float compSd(int k, float f) {
        int pb = k * nP;
        float sd = 0f;
        if (lik == LIK_NORMAL) {
            sd = NOISE_FLOOR + exp(par[pb]);
        } else {
            float kap = par[pb + 1];
            float mu = nbMeanF(f, kap);
            float var = mu + softplusF(kap) * mu * mu;
            if (lik == LIK_NB) {
                sd = sqrt(var);
            } else {
                float pi = sigmoidF(par[pb + 2]);
                float m1 = (1f - pi) * mu;
                sd = sqrt(max(0f, (1f - pi) * (var + mu * mu) - m1 * m1));
            }
        }
        return sd;
    }

    /** Lentz's continued fraction of the incomplete beta function, in float. */
    float betaCfF(float x, float a, float b) {
        float tiny = 1.0e-30f;
        float qab = a + b;
        float qap = a + 1f;
        float qam = a - 1f;
        float c = 1f;
        float d = 1f - qab * x / qap;
        if (abs(d) < tiny) {
            d = tiny;
        }
        d = 1f / d;
        float h = d;
        int m = 1;
        float del = 0f;
        while (m <= 300 && abs(del - 1f) >= 1.0e-7f) {
            float m2 = 2f * m;
            float aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1f + aa * d;
            if (abs(d) < tiny) {
                d = tiny;
            }
            c = 1f + aa / c;
            if (abs(c) < tiny) {
                c = tiny;
            }
            d = 1f / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1f + aa * d;
            if (abs(d) < tiny) {
                d = tiny;
            }
            c = 1f + aa / c;
            if (abs(c) < tiny) {
                c = tiny;
            }
            d = 1f / d;
            del = d * c;
            h *= del;
            m++;
        }
        return h;
    }

    /**
     * CDF at x ≥ 0 of member k's count component: TFP's continuous extension I_{σ(-ℓ)}(r, 1 + x)
     * (spec §6.4), the regularised incomplete beta by Lentz's continued fraction, plus the zero
     * inflation for ZINB.
     */
    float countCdf(int k, float f, float x) {
        int pb = k * nP;
        float s = softplusF(par[pb + 1]);
        float lg = -log(s) - logSoftplusF(f);
        float z = sigmoidF(-lg);
        float a = 1f / s;
        float b = 1f + x;
        float v = 0f;
        if (z >= 1f) {
            v = 1f;
        } else if (z > 0f) {
            float lbt = a * log(z) + b * log1p(-z) - (lgammaF(a) + lgammaF(b) - lgammaF(a + b));
            if (z < (a + 1f) / (a + b + 2f)) {
                v = exp(lbt) * betaCfF(z, a, b) / a;
            } else {
                v = 1f - exp(lbt) * betaCfF(1f - z, b, a) / b;
            }
        }
        if (lik == LIK_ZINB) {
            float pi = sigmoidF(par[pb + 2]);
            v = pi + (1f - pi) * v;
        }
        return v;
    }

    /** The equal-weight mixture CDF at x for chunk row r, minus q. */
    float mixCdf(int r, float x, float q) {
        float sum = 0f;
        for (int k = 0; k < nK; k++) {
            float f = fout[k * bc + r];
            if (lik == LIK_NORMAL) {
                // Φ((x - f)/σ) = erfc((f - x)/(√2 σ))/2, the member's 1/(√2 σ) from the scalars pass
                sum += 0.5f * erfcF((f - x) * msc[k * nSc + scN]);
            } else if (x >= 0f) {
                sum += countCdf(k, f, x);
            }
        }
        return sum / nK - q;
    }

    /** 1 when u and v have the same sign (zero counting as positive), else 0. */
    int sameSign(float u, float v) {
        return (u < 0f && v < 0f) || (u >= 0f && v >= 0f) ? 1 : 0;
    }

    /**
     * Mixture mean and quantiles of one chunk row from the members' outputs in fout (as
     * {@code BayesNFPredictor} computes them: per-row brackets, Chandrupatla's root finder with the
     * same stopping rules, count quantiles ceiled and 0 where the mixture's P(Y = 0) exceeds the
     * level). The root finder is written out here rather than in a helper: Aparapi orders the
     * OpenCL functions it emits by call depth, and deeper helper chains came out in an order the
     * OpenCL compiler refused. Range pad(bc).
     */
    void summary() {
        int r = getGlobalId();
        if (r < bn) {
            float m = 0f;
            float lo = 3.0e38f;
            float hi = -3.0e38f;
            float maxSd = 0f;
            for (int k = 0; k < nK; k++) {
                float f = fout[k * bc + r];
                float mu = compMean(k, f);
                m += mu;
                lo = min(lo, mu);
                hi = max(hi, mu);
                maxSd = max(maxSd, compSd(k, f));
            }
            smean[r] = m / nK;
            // P(Y = 0) of the mixture: its CDF at 0 (the continuous extension is exact at integers)
            float p0 = lik == LIK_NORMAL ? 0f : mixCdf(r, 0f, 0f);
            for (int j = 0; j < nQ; j++) {
                float q = qlev[j];
                float a = 0f;
                float b = hi + 1.1f * maxSd / sqrt(1f - q);
                if (lik == LIK_NORMAL) {
                    a = lo - 5f * maxSd;
                    b = hi + 5f * maxSd;
                }
                float fa = mixCdf(r, a, q);
                float fb = mixCdf(r, b, q);
                float best = abs(fa) < abs(fb) ? a : b;
                int done = 0;
                if (fa == 0f) {
                    best = a;
                    done = 1;
                } else if (fb == 0f) {
                    best = b;
                    done = 1;
                } else if (sameSign(fa, fb) != 0) {
                    done = 1;
                }
                float c = a;
                float fc = fa;
                float t = 0.5f;
                int it = 0;
                while (done == 0 && it < ROOT_MAX_ITERATIONS) {
                    float xt = a + t * (b - a);
                    float ft = mixCdf(r, xt, q);
                    if (sameSign(ft, fa) != 0) {
                        c = a;
                        fc = fa;
                    } else {
                        c = b;
                        fc = fb;
                        b = a;
                        fb = fa;
                    }
                    a = xt;
                    fa = ft;
                    float xm = b;
                    float fm = fb;
                    if (abs(fa) < abs(fb)) {
                        xm = a;
                        fm = fa;
                    }
                    best = xm;
                    float tol = 2.4e-7f * abs(xm) + 1.0e-6f;
                    float tl = tol / abs(b - c);
                    if (tl > 0.5f || abs(fm) <= ROOT_VALUE_TOLERANCE) {
                        done = 1;
                    } else {
                        float xi = (a - b) / (c - b);
                        float phi = (fa - fb) / (fc - fb);
                        if (phi * phi < xi && (1f - phi) * (1f - phi) < 1f - xi) {
                            t = fa / (fb - fa) * fc / (fb - fc) + (c - a) / (b - a) * fa / (fc - fa) * fb / (fc - fb);
                        } else {
                            t = 0.5f;
                        }
                        t = min(1f - tl, max(tl, t));
                    }
                    it++;
                }
                if (lik != LIK_NORMAL) {
                    best = p0 > q ? 0f : ceil(best);
                }
                squant[j * bc + r] = best;
            }
        }
    }

    /** The per-member scalars {@link #msc} from the parameters. Range K·nSc. */
    void scalars() {
        int gid = getGlobalId();
        int k = gid / nSc;
        int i = gid - k * nSc;
        if (k < nK) {
            int pb = k * nP;
            float v = 0f;
            if (i == 0) {
                v = sigmoidF(par[pb + lambdaOff]);
            } else if (i == 1) {
                v = softplusF(par[pb + outRhoOff]);
            } else if (i < scG) {
                v = softplusF(par[pb + rhoOffs[i - 2]]);
            } else if (i < scA) {
                v = softplusF(par[pb + gammaOff + i - scG]);
            } else if (i < scN) {
                v = 1f / (inScale[i - scA] * exp(par[pb + aOff + i - scA]));
            } else {
                v = 1f / ((NOISE_FLOOR + exp(par[pb])) * 1.4142135f);
            }
            msc[gid] = v;
        }
    }

    /**
     * The matrix product of {@link GpuNetworkKernel#gemm} in the form CPU drivers vectorise: each
     * work-item owns {@link #gRows} rows of C. For each block of four rows of B it copies the block
     * into private memory ({@link #bp}, row r at r·{@link #BP_N}) once and adds
     * α·A[m][t..t+3]·B[t..t+3][·] to its rows of C, three rows at a time: an axpy over contiguous
     * columns that loads each vector of B once for three rows of C, i.e. per vector three loads
     * and three stores of C, four loads of B and twelve fused multiply-adds. Reading B from
     * private memory, which cannot alias C, spares the run-time overlap checks the compiler
     * otherwise repeats per row of C.
     *
     * <p>The row loop is kept small on purpose. pocl compiles all passes of this kernel into one
     * function, so registers are scarce and whatever the row loop needs beyond them is reloaded
     * from the stack for every row of C. The fields it uses are therefore copied to locals, C is
     * one local array reference instead of a branch per row between act and grad, rows of B past T
     * get a zero coefficient with an index clamped to row T - 1 instead of a branch per
     * coefficient, and the private rows of B sit at constant offsets. On pocl (wind-cpu's
     * 4096x128x128 shape, 8 members, two cores, medians of 60 alternating launches against the
     * previous version) the locals and the clamped index made the product 9% faster, the constant
     * offsets another 3%, and two rows of C per pass of the inner loop another 22% (11.9 to 9.4
     * ms). Three rows per pass left that shape unchanged (-1%, within the noise) and took the
     * 128x128x4096 weight gradient 7% below two rows; four rows ran no faster than two (their
     * sixteen coefficients no longer fit in registers and went to the stack).
     *
     * <p>Without accumulation (gAcc = 0) the first block of B rows starts each row of C from zero
     * instead of reading it, so no pass clears C first (3-8% less time per product on pocl, paired
     * medians). Columns go in chunks of {@link #BP_N}; rows of B past T count as zeros. Requires
     * bSn = 1.
     *
     * <p>Once all columns of its rows are done, the work-item runs the epilogue {@link #gEpi} on
     * them: {@link #activationRows}, then for the last layer in training {@link #outputRow} and
     * {@link #backRows}, or {@link #backRows} alone (partial block = this work-item's block of
     * rows). More epilogue code costs the product itself: with the back-features added as a fifth
     * epilogue the plain product ran 4-6% slower (paired medians), so that one stays a pass.
     * Range (pad(ceil(M / gRows)), K).
     */
    void gemmAxpy() {
        int m0 = getGlobalId(0) * gRows;
        int k = getGlobalId(1);
        if (m0 < gM) {
            int mEnd = min(m0 + gRows, gM);
            int aBase = gaOff + k * gaSk;
            int bBase = gbOff + k * gbSk;
            int cBase = gcOff + k * gcSk;
            int aSm = gaSm;
            int aSt = gaSt;
            int cSm = gcSm;
            int n1 = gN;
            float alpha = gAlpha;
            float[] a = act;
            float[] c = act;
            if (gcDst != 0) {
                c = grad;
            }
            for (int n0 = 0; n0 < n1; n0 += BP_N) {
                int nc = min(BP_N, n1 - n0);
                for (int t = 0; t < gT; t += 4) {
                    copyB4(bBase + t * gbSt + n0, t, nc);
                    // Rows past T: the coefficient is 0 and the index stays on row T - 1, so the
                    // row loop has no branch.
                    int last = gT - 1 - t;
                    float s1 = last >= 1 ? alpha : 0f;
                    float s2 = last >= 2 ? alpha : 0f;
                    float s3 = last >= 3 ? alpha : 0f;
                    int o1 = min(1, last) * aSt;
                    int o2 = min(2, last) * aSt;
                    int o3 = min(3, last) * aSt;
                    int ai = aBase + m0 * aSm + t * aSt;
                    int ci = cBase + m0 * cSm + n0;
                    // the first block of a product without accumulation starts from zero instead
                    // of reading C (no separate pass clearing C)
                    boolean fresh = t == 0 && gAcc == 0;
                    int m = m0;
                    for (; m + 2 < mEnd; m += 3) {
                        float a0 = alpha * a[ai];
                        float a1 = s1 * a[ai + o1];
                        float a2 = s2 * a[ai + o2];
                        float a3 = s3 * a[ai + o3];
                        float e0 = alpha * a[ai + aSm];
                        float e1 = s1 * a[ai + aSm + o1];
                        float e2 = s2 * a[ai + aSm + o2];
                        float e3 = s3 * a[ai + aSm + o3];
                        float f0 = alpha * a[ai + 2 * aSm];
                        float f1 = s1 * a[ai + 2 * aSm + o1];
                        float f2 = s2 * a[ai + 2 * aSm + o2];
                        float f3 = s3 * a[ai + 2 * aSm + o3];
                        int d1 = ci + cSm;
                        int d2 = ci + 2 * cSm;
                        for (int n = 0; n < nc; n++) {
                            float b0 = bp[n];
                            float b1 = bp[BP_N + n];
                            float b2 = bp[2 * BP_N + n];
                            float b3 = bp[3 * BP_N + n];
                            c[ci + n] = (fresh ? 0f : c[ci + n]) + a0 * b0 + a1 * b1 + a2 * b2 + a3 * b3;
                            c[d1 + n] = (fresh ? 0f : c[d1 + n]) + e0 * b0 + e1 * b1 + e2 * b2 + e3 * b3;
                            c[d2 + n] = (fresh ? 0f : c[d2 + n]) + f0 * b0 + f1 * b1 + f2 * b2 + f3 * b3;
                        }
                        ai += 3 * aSm;
                        ci += 3 * cSm;
                    }
                    for (; m < mEnd; m++) {
                        float a0 = alpha * a[ai];
                        float a1 = s1 * a[ai + o1];
                        float a2 = s2 * a[ai + o2];
                        float a3 = s3 * a[ai + o3];
                        for (int n = 0; n < nc; n++) {
                            c[ci + n] = (fresh ? 0f : c[ci + n]) + a0 * bp[n] + a1 * bp[BP_N + n] + a2 * bp[2 * BP_N + n] + a3 * bp[3 * BP_N + n];
                        }
                        ai += aSm;
                        ci += cSm;
                    }
                }
            }
            // the epilogue runs once every column of the rows is complete: the back-activation
            // overwrites du, which is this product's A for the same rows
            if (gEpi == EPI_ACTIVATION) {
                activationRows(k, m0, mEnd);
            } else if (gEpi == EPI_OUTPUT) {
                activationRows(k, m0, mEnd);
                for (int r = m0; r < mEnd; r++) {
                    outputRow(k, r);
                }
                backRows(k, getGlobalId(0), m0, mEnd, 1);
            } else if (gEpi == EPI_BACK) {
                backRows(k, getGlobalId(0), m0, mEnd, 0);
            }
        }
    }

    /** Copies nc columns of B rows t..t+3 from b into {@link #bp} (zeros for rows past T). */
    void copyB4(int b, int t, int nc) {
        for (int r = 0; r < 4; r++) {
            if (t + r >= gT) {
                zeroPrivRow(r * BP_N, nc);
            } else if (gbSrc == 0) {
                copyRowPar(r * BP_N, b + r * gbSt, nc);
            } else {
                copyRowAct(r * BP_N, b + r * gbSt, nc);
            }
        }
    }

    void zeroPrivRow(int dst, int nc) {
        for (int n = 0; n < nc; n++) {
            bp[dst + n] = 0f;
        }
    }

    void copyRowPar(int dst, int src, int nc) {
        for (int n = 0; n < nc; n++) {
            bp[dst + n] = par[src + n];
        }
    }

    void copyRowAct(int dst, int src, int nc) {
        for (int n = 0; n < nc; n++) {
            bp[dst + n] = act[src + n];
        }
    }

    /**
     * CPU form: u = C + b and h = α elu(s u) + (1-α) tanh(s u) for chunk rows [r0, rEnd) of member
     * k, layer {@link #lIndex} ({@link #gemmAxpy}'s epilogue, on rows it has just written).
     */
    void activationRows(int k, int r0, int rEnd) {
        float a = msc[k * nSc];
        float s = msc[k * nSc + 2 + lIndex];
        int bb = k * nP + lBOff;
        for (int r = r0; r < rEnd; r++) {
            int ub = lUOff + (k * bc + r) * nW;
            int hb = lHOff + (k * bc + r) * nW;
            for (int j = 0; j < nW; j++) {
                float u = act[ub + j] + par[bb + j];
                act[ub + j] = u;
                act[hb + j] = activationF(s * u, a);
            }
        }
    }

    /**
     * CPU form: the back-activation of layer {@link #lIndex} for chunk rows [r0, rEnd) of member k:
     * dL/du into act at duOff, and the block's column sums of the d/dα and d/d softplus(ρ_l)
     * contributions and of dL/du into the partial block blk ({@link #partOff}), accumulated in
     * {@link #bp} (private, so the compiler need not check it against act) over columns in chunks
     * of {@link #BP_N}. dL/dh comes from act at dhOff ({@code fromOut} 0) or is go·w_out/√W
     * (1, the last layer, {@link #EPI_OUTPUT}).
     *
     * <p>Why fused: the separate back-activation pass wrote both contributions back over dL/dh and
     * u and a layer-sum pass read them again, 2 x 16 MB written and read per call on wind-cpu,
     * and the bias gradient was a product of its own; here they are sums over rows that are in
     * cache.
     */
    void backRows(int k, int blk, int r0, int rEnd, int fromOut) {
        float a = msc[k * nSc];
        float s = msc[k * nSc + 2 + lIndex];
        int wb = k * nP + outWOff;
        int pb = partOff + (k * nPB + blk) * 4 * nW;
        for (int n0 = 0; n0 < nW; n0 += BP_N) {
            int nc = min(BP_N, nW - n0);
            for (int j = 0; j < nc; j++) {
                bp[j] = 0f;
                bp[BP_N + j] = 0f;
                bp[2 * BP_N + j] = 0f;
                bp[3 * BP_N + j] = 0f;
            }
            for (int r = r0; r < rEnd; r++) {
                int i = (k * bc + r) * nW + n0;
                if (fromOut != 0) {
                    float go = act[goOff + k * bc + r];
                    for (int j = 0; j < nc; j++) {
                        backPartial(i + j, j, go * par[wb + n0 + j] * invW, a, s);
                        // the output weights' gradient, Σ_r go_r h_r (times 1/√W in the layer sums)
                        bp[3 * BP_N + j] += go * act[lHOff + i + j];
                    }
                } else {
                    for (int j = 0; j < nc; j++) {
                        backPartial(i + j, j, act[dhOff + i + j], a, s);
                    }
                }
            }
            for (int j = 0; j < nc; j++) {
                act[pb + n0 + j] = bp[j];
                act[pb + nW + n0 + j] = bp[BP_N + j];
                act[pb + 2 * nW + n0 + j] = bp[2 * BP_N + j];
                act[pb + 3 * nW + n0 + j] = bp[3 * BP_N + j];
            }
        }
    }

    /**
     * One element of {@link #backRows}: as {@link #backElement}, with dL/dh given, and the
     * contributions added to column j of the private partial sums instead of stored.
     */
    void backPartial(int i, int j, float dj, float a, float s) {
        float u = act[lUOff + i];
        float p = s * u;
        float q = exp(-abs(p));
        float ev = p > 0f ? p : q - 1f;
        float tv = tanhFromQ(p, q);
        float dp = dj * activationSlope(u, ev, tv, a);
        float du = dp * s;
        act[duOff + i] = du;
        bp[j] += dj * (ev - tv);
        bp[BP_N + j] += dp * u;
        bp[2 * BP_N + j] += du;
    }

    /**
     * CPU form: adds the partial blocks of {@link #backRows} in block order to {@link #lsum} and
     * the bias gradient of layer {@link #lIndex}, and for the last layer the output weights'
     * gradient. One work-item per member. Range pad(K).
     */
    void layerSumsRows() {
        int k = getGlobalId();
        if (k < nK) {
            int o = ((k * nL + lIndex) * 2) * nW;
            int gb = k * nP + lBOff;
            int gw = k * nP + outWOff;
            int nb = (bn + GEMM_ROWS - 1) / GEMM_ROWS;
            for (int b = 0; b < nb; b++) {
                int pb = partOff + (k * nPB + b) * 4 * nW;
                for (int j = 0; j < nW; j++) {
                    lsum[o + j] += act[pb + j];
                    lsum[o + nW + j] += act[pb + nW + j];
                    grad[gb + j] += act[pb + 2 * nW + j];
                }
            }
            if (lIndex == nL - 1) {
                for (int j = 0; j < nW; j++) {
                    float sw = 0f;
                    for (int b = 0; b < nb; b++) {
                        sw += act[partOff + (k * nPB + b) * 4 * nW + 3 * nW + j];
                    }
                    grad[gw + j] += sw * invW;
                }
            }
        }
    }

    void storeC(int ci, float acc) {
        if (gcDst == 0) {
            act[ci] = gAcc != 0 ? act[ci] + gAlpha * acc : gAlpha * acc;
        } else {
            grad[ci] = gAcc != 0 ? grad[ci] + gAlpha * acc : gAlpha * acc;
        }
    }

    /**
     * Clears the gradient; the first block of each member also clears its reduced slots and layer
     * sums. Elements: P.
     */
    void zero() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(nP, e0 + eb);
        for (int e = e0; e < end; e++) {
            grad[k * nP + e] = 0f;
        }
        if (e0 == 0) {
            for (int s = 0; s < nNS; s++) {
                red[k * nNS + s] = 0f;
            }
            int lb = k * nL * 2 * nW;
            for (int j = 0; j < nL * 2 * nW; j++) {
                lsum[lb + j] = 0f;
            }
        }
    }
}
