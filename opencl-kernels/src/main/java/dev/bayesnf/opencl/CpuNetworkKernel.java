package dev.bayesnf.opencl;

/**
 * The CPU form of {@link NetworkKernel}: the passes both forms share ({@link NetworkKernel#passes})
 * plus its own, one work-item per block of rows, member or row of the result, each with a
 * contiguous inner loop that a CPU driver vectorises inside the work-item: the matrix product
 * {@link #gemmAxpy} with its epilogues, the layer sums {@link #layerSumsRows} and the
 * transposition {@link #transposeRows}. No barrier anywhere (see {@link GpuNetworkKernel}).
 */
final class CpuNetworkKernel extends NetworkKernel {
    /** Rows of C per work-item of {@link #gemmAxpy}, at most (fewer when M is smaller). */
    static final int GEMM_ROWS = 128;
    /** Columns of B one private block of {@link #gemmAxpy} holds. */
    static final int BP_N = 256;
    /**
     * Four rows of B (up to {@link #BP_N} columns each) in private memory, per work-item of
     * {@link #gemmAxpy} (4 KiB; the CPU form's only private array, hence not in the GPU form).
     */
    @PrivateMemorySpace(4 * BP_N) float[] bp = new float[4 * BP_N];

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
}
