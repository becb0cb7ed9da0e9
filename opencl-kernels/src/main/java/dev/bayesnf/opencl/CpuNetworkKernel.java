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
    @PrivateMemorySpace(4 * BP_N) float[] privateRows = new float[4 * BP_N];

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
     * work-item owns {@link #gemmRows} rows of C. For each block of four rows of B it copies the
     * block
     * into private memory ({@link #privateRows}, row r at r·{@link #BP_N}) once and adds
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
     * coefficient, and the private rows of B sit at constant offsets. Three rows of C per pass of
     * the inner loop, not two or four: three load each vector of B once for three rows; four need
     * sixteen coefficients, which no longer fit in registers and went to the stack. What each of
     * these steps bought on pocl: docs/BENCHMARKS.md ("What each kernel change bought on pocl").
     *
     * <p>Without accumulation (gemmAccumulate = 0) the first block of B rows starts each row of C
     * from zero instead of reading it, so no pass clears C first. Columns go in chunks of
     * {@link #BP_N}; rows of B past T count as zeros. Requires gemmBColumnStride = 1.
     *
     * <p>Once all columns of its rows are done, the work-item runs the epilogue
     * {@link #gemmEpilogue} on them: {@link #activationRows}, then for the last layer in training
     * {@link #outputRow} and {@link #backRows}, or {@link #backRows} alone (partial block = this
     * work-item's block of rows). More epilogue code costs the product itself, also when the
     * epilogue does not run (pocl compiles all passes into one function, and registers run
     * short), so the back-features stay a pass of their own.
     * Range (pad(ceil(M / gemmRows)), K).
     */
    void gemmAxpy() {
        int m0 = getGlobalId(0) * gemmRows;
        int k = getGlobalId(1);
        if (m0 < gemmM) {
            int mEnd = min(m0 + gemmRows, gemmM);
            int aBase = gemmAOffset + k * gemmAMemberStride;
            int bBase = gemmBOffset + k * gemmBMemberStride;
            int cBase = gemmCOffset + k * gemmCMemberStride;
            int aSm = gemmARowStride;
            int aSt = gemmAInnerStride;
            int cSm = gemmCRowStride;
            int n1 = gemmN;
            float alpha = gemmAlpha;
            float[] a = act;
            float[] c = act;
            if (gemmCTarget != 0) {
                c = grad;
            }
            for (int n0 = 0; n0 < n1; n0 += BP_N) {
                int nc = min(BP_N, n1 - n0);
                for (int t = 0; t < gemmT; t += 4) {
                    copyB4(bBase + t * gemmBInnerStride + n0, t, nc);
                    // Rows past T: the coefficient is 0 and the index stays on row T - 1, so the
                    // row loop has no branch.
                    int last = gemmT - 1 - t;
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
                    boolean fresh = t == 0 && gemmAccumulate == 0;
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
                            float b0 = privateRows[n];
                            float b1 = privateRows[BP_N + n];
                            float b2 = privateRows[2 * BP_N + n];
                            float b3 = privateRows[3 * BP_N + n];
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
                            c[ci + n] = (fresh ? 0f : c[ci + n]) + a0 * privateRows[n] + a1 * privateRows[BP_N + n] + a2 * privateRows[2 * BP_N + n] + a3 * privateRows[3 * BP_N + n];
                        }
                        ai += aSm;
                        ci += cSm;
                    }
                }
            }
            // the epilogue runs once every column of the rows is complete: the back-activation
            // overwrites du, which is this product's A for the same rows
            if (gemmEpilogue == EPI_ACTIVATION) {
                activationRows(k, m0, mEnd);
            } else if (gemmEpilogue == EPI_OUTPUT) {
                activationRows(k, m0, mEnd);
                for (int r = m0; r < mEnd; r++) {
                    outputRow(k, r);
                }
                backRows(k, getGlobalId(0), m0, mEnd, 1);
            } else if (gemmEpilogue == EPI_BACK) {
                backRows(k, getGlobalId(0), m0, mEnd, 0);
            }
        }
    }

    /**
     * Copies nc columns of B rows t..t+3 from b into {@link #privateRows} (zeros for rows past T).
     */
    void copyB4(int b, int t, int nc) {
        for (int r = 0; r < 4; r++) {
            if (t + r >= gemmT) {
                zeroPrivRow(r * BP_N, nc);
            } else if (gemmBSource == 0) {
                copyRowPar(r * BP_N, b + r * gemmBInnerStride, nc);
            } else {
                copyRowAct(r * BP_N, b + r * gemmBInnerStride, nc);
            }
        }
    }

    void zeroPrivRow(int dst, int nc) {
        for (int n = 0; n < nc; n++) {
            privateRows[dst + n] = 0f;
        }
    }

    void copyRowPar(int dst, int src, int nc) {
        for (int n = 0; n < nc; n++) {
            privateRows[dst + n] = params[src + n];
        }
    }

    void copyRowAct(int dst, int src, int nc) {
        for (int n = 0; n < nc; n++) {
            privateRows[dst + n] = act[src + n];
        }
    }

    /**
     * CPU form: u = C + b and h = α elu(s u) + (1-α) tanh(s u) for chunk rows [r0, rEnd) of member
     * k, layer {@link #layer} ({@link #gemmAxpy}'s epilogue, on rows it has just written).
     */
    void activationRows(int k, int r0, int rEnd) {
        float a = memberScalars[k * scalarCount];
        float s = memberScalars[k * scalarCount + 2 + layer];
        int bb = k * paramCount + layerBiasOffset;
        for (int r = r0; r < rEnd; r++) {
            int ub = layerUOffset + (k * chunkRows + r) * width;
            int hb = layerHOffset + (k * chunkRows + r) * width;
            for (int j = 0; j < width; j++) {
                float u = act[ub + j] + params[bb + j];
                act[ub + j] = u;
                act[hb + j] = activationF(s * u, a);
            }
        }
    }

    /**
     * CPU form: the back-activation of layer {@link #layer} for chunk rows [r0, rEnd) of member k:
     * dL/du into act at duOffset, and the block's column sums of the d/dα and d/d softplus(ρ_l)
     * contributions and of dL/du into the partial block blk ({@link #partialOffset}), accumulated
     * in {@link #privateRows} (private, so the compiler need not check it against act) over
     * columns in chunks of {@link #BP_N}. dL/dh comes from act at dhOffset ({@code fromOut} 0) or
     * is go·w_out/√W (1, the last layer, {@link #EPI_OUTPUT}).
     *
     * <p>Why fused: the separate back-activation pass wrote both contributions back over dL/dh and
     * u (two activation-sized regions) for a layer-sum pass to read again, and the bias gradient
     * was a product of its own; here they are sums over rows that are in cache.
     */
    void backRows(int k, int blk, int r0, int rEnd, int fromOut) {
        float a = memberScalars[k * scalarCount];
        float s = memberScalars[k * scalarCount + 2 + layer];
        int wb = k * paramCount + outWeightOffset;
        int pb = partialOffset + (k * partialBlocks + blk) * 4 * width;
        for (int n0 = 0; n0 < width; n0 += BP_N) {
            int nc = min(BP_N, width - n0);
            for (int j = 0; j < nc; j++) {
                privateRows[j] = 0f;
                privateRows[BP_N + j] = 0f;
                privateRows[2 * BP_N + j] = 0f;
                privateRows[3 * BP_N + j] = 0f;
            }
            for (int r = r0; r < rEnd; r++) {
                int i = (k * chunkRows + r) * width + n0;
                if (fromOut != 0) {
                    float go = act[outputGradOffset + k * chunkRows + r];
                    for (int j = 0; j < nc; j++) {
                        backPartial(i + j, j, go * params[wb + n0 + j] * invSqrtWidth, a, s);
                        // the output weights' gradient, Σ_r go_r h_r (times 1/√W in the layer sums)
                        privateRows[3 * BP_N + j] += go * act[layerHOffset + i + j];
                    }
                } else {
                    for (int j = 0; j < nc; j++) {
                        backPartial(i + j, j, act[dhOffset + i + j], a, s);
                    }
                }
            }
            for (int j = 0; j < nc; j++) {
                act[pb + n0 + j] = privateRows[j];
                act[pb + width + n0 + j] = privateRows[BP_N + j];
                act[pb + 2 * width + n0 + j] = privateRows[2 * BP_N + j];
                act[pb + 3 * width + n0 + j] = privateRows[3 * BP_N + j];
            }
        }
    }

    /**
     * One element of {@link #backRows}: as {@link GpuNetworkKernel#backElement}, with dL/dh given,
     * and the contributions added to column j of the private partial sums instead of stored.
     */
    void backPartial(int i, int j, float dj, float a, float s) {
        float u = act[layerUOffset + i];
        float p = s * u;
        float q = exp(-abs(p));
        float ev = p > 0f ? p : q - 1f;
        float tv = tanhFromQ(p, q);
        float dp = dj * activationSlope(u, ev, tv, a);
        float du = dp * s;
        act[duOffset + i] = du;
        privateRows[j] += dj * (ev - tv);
        privateRows[BP_N + j] += dp * u;
        privateRows[2 * BP_N + j] += du;
    }

    /**
     * CPU form: adds the partial blocks of {@link #backRows} in block order to
     * {@link #layerColumnSums} and the bias gradient of layer {@link #layer}, and for the last
     * layer the output weights' gradient. One work-item per member. Range pad(K).
     */
    void layerSumsRows() {
        int k = getGlobalId();
        if (k < memberCount) {
            int o = ((k * depth + layer) * 2) * width;
            int gb = k * paramCount + layerBiasOffset;
            int gw = k * paramCount + outWeightOffset;
            int nb = (rowsInChunk + GEMM_ROWS - 1) / GEMM_ROWS;
            for (int b = 0; b < nb; b++) {
                int pb = partialOffset + (k * partialBlocks + b) * 4 * width;
                for (int j = 0; j < width; j++) {
                    layerColumnSums[o + j] += act[pb + j];
                    layerColumnSums[o + width + j] += act[pb + width + j];
                    grad[gb + j] += act[pb + 2 * width + j];
                }
            }
            if (layer == depth - 1) {
                for (int j = 0; j < width; j++) {
                    float sw = 0f;
                    for (int b = 0; b < nb; b++) {
                        sw += act[partialOffset + (k * partialBlocks + b) * 4 * width + 3 * width + j];
                    }
                    grad[gw + j] += sw * invSqrtWidth;
                }
            }
        }
    }

    /**
     * The transposed weights W_lᵀ of layer l into act at layerTransposedOffset (Wt[k][t][n] =
     * W_l[k][n][t]), so that the input-gradient product reads B contiguously: one work-item per row
     * t of Wᵀ, strided reads, contiguous writes. Range (pad(W), K). The GPU form's one element per
     * work-item ({@link GpuNetworkKernel#transpose}) paid the kernel's per-work-item dispatch for
     * every element on pocl.
     */
    void transposeRows() {
        int t = getGlobalId(0);
        int k = getGlobalId(1);
        if (t < width) {
            int dst = layerTransposedOffset + (k * width + t) * layerInputStride;
            int src = k * paramCount + layerWeightOffset + t;
            for (int n = 0; n < layerInputs; n++) {
                act[dst + n] = params[src + n * width];
            }
        }
    }
}
