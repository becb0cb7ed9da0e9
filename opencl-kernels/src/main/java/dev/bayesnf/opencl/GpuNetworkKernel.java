package dev.bayesnf.opencl;

/**
 * The GPU form of {@link NetworkKernel}: the passes both forms share ({@link NetworkKernel#passes})
 * plus its own, one work-item per output element: the matrix product tiled through local memory
 * ({@code M_GEMM}, the only pass with work-group barriers), the activation, back-activation, layer
 * sums and transposition.
 *
 * <p>Why a class of its own: pocl (the CPU driver) adds an implicit barrier to every loop of a
 * kernel that has any barrier at all, so that it can run the work-items of a work-group in lock
 * step per loop iteration; every value a loop carries then lives in a per-work-item context array
 * in memory instead of a register (pocl's {@code ImplicitLoopBarriers}, which leaves
 * barrier-free kernels alone). Aparapi translates only the methods reachable from {@code run()},
 * so the CPU form ({@link CpuNetworkKernel}) compiles without a barrier (what that bought on
 * pocl: docs/BENCHMARKS.md).
 */
final class GpuNetworkKernel extends NetworkKernel {
    /** Tile edge of the matrix-product pass (work-groups are TILE × TILE). */
    static final int TILE = 16;

    @Local float[] tileA = new float[TILE * TILE];
    @Local float[] tileB = new float[TILE * TILE];

    @Override
    public void run() {
        if (mode == M_GEMM) {
            gemm();
        } else if (mode == M_ACTIVATION) {
            activation();
        } else if (mode == M_BACK_ACTIVATION) {
            backActivation();
        } else if (mode == M_LAYER_SUMS) {
            layerSums();
        } else if (mode == M_TRANSPOSE) {
            transpose();
        } else {
            passes();
        }
    }

    /** C = α A·B (+ C), tiled through local memory. Range (pad(N), pad(M), K), groups TILE×TILE×1. */
    void gemm() {
        int n = getGlobalId(0);
        int m = getGlobalId(1);
        int k = getGlobalId(2);
        int ln = getLocalId(0);
        int lm = getLocalId(1);
        int aBase = gemmAOffset + k * gemmAMemberStride;
        int bBase = gemmBOffset + k * gemmBMemberStride;
        float acc = 0f;
        for (int t0 = 0; t0 < gemmT; t0 += TILE) {
            int ta = t0 + ln;
            float av = 0f;
            if (m < gemmM && ta < gemmT) {
                av = act[aBase + m * gemmARowStride + ta * gemmAInnerStride];
            }
            tileA[lm * TILE + ln] = av;
            int tb = t0 + lm;
            float bv = 0f;
            if (n < gemmN && tb < gemmT) {
                int bi = bBase + tb * gemmBInnerStride + n * gemmBColumnStride;
                bv = gemmBSource == 0 ? params[bi] : act[bi];
            }
            tileB[lm * TILE + ln] = bv;
            localBarrier();
            for (int i = 0; i < TILE; i++) {
                acc += tileA[lm * TILE + i] * tileB[i * TILE + ln];
            }
            localBarrier();
        }
        if (m < gemmM && n < gemmN) {
            storeC(gemmCOffset + k * gemmCMemberStride + m * gemmCRowStride + n, acc);
        }
    }

    /**
     * u = acc + b, h = α elu(s u) + (1-α) tanh(s u) for one (unit, row, member). Range (W,
     * chunkRows, K) padded: three dimensions instead of one divided index, since integer division
     * does not vectorise on CPU drivers.
     */
    void activation() {
        int j = getGlobalId(0);
        int r = getGlobalId(1);
        int k = getGlobalId(2);
        if (j < width && r < rowsInChunk) {
            int gid = (k * chunkRows + r) * width + j;
            float a = memberScalars[k * scalarCount];
            float s = memberScalars[k * scalarCount + 2 + layer];
            float u = act[layerUOffset + gid] + params[k * paramCount + layerBiasOffset + j];
            act[layerUOffset + gid] = u;
            float p = s * u;
            act[layerHOffset + gid] = activationF(p, a);
        }
    }

    /**
     * dL/du of layer l from dL/dh for one (unit, row, member); the element's d/dα and
     * d/d softplus(ρ_l) contributions replace dL/dh and u in place (neither is read again), for
     * {@link #layerSums}. Range (W, chunkRows, K) padded.
     */
    void backActivation() {
        int j = getGlobalId(0);
        int r = getGlobalId(1);
        int k = getGlobalId(2);
        if (j < width && r < rowsInChunk) {
            float a = memberScalars[k * scalarCount];
            float s = memberScalars[k * scalarCount + 2 + layer];
            backElement((k * chunkRows + r) * width + j, a, s);
        }
    }

    /**
     * Adds the column sums over the chunk's rows of the d/dα and d/d softplus(ρ_l) contributions
     * that {@link #backActivation} left in place, in row order, to {@link #layerColumnSums}, and
     * those of dL/du to the bias gradient of the layer. Range (W, K) padded: contiguous along the
     * units, so it vectorises.
     */
    void layerSums() {
        int j = getGlobalId(0);
        int k = getGlobalId(1);
        if (j < width) {
            float sa = 0f;
            float ss = 0f;
            float sd = 0f;
            for (int r = 0; r < rowsInChunk; r++) {
                int i = (k * chunkRows + r) * width + j;
                sa += act[dhOffset + i];
                ss += act[layerUOffset + i];
                sd += act[duOffset + i];
            }
            int o = ((k * depth + layer) * 2) * width + j;
            layerColumnSums[o] += sa;
            layerColumnSums[o + width] += ss;
            grad[k * paramCount + layerBiasOffset + j] += sd;
        }
    }

    /**
     * The transposed weights W_lᵀ of layer l into act at layerTransposedOffset (Wt[k][t][n] =
     * W_l[k][n][t]), so that the input-gradient product reads B contiguously. Range (layerInputs,
     * W, K) padded.
     */
    void transpose() {
        int n = getGlobalId(0);
        int t = getGlobalId(1);
        int k = getGlobalId(2);
        if (n < layerInputs && t < width) {
            act[layerTransposedOffset + (k * width + t) * layerInputStride + n] = params[k * paramCount + layerWeightOffset + n * width + t];
        }
    }

    /**
     * One element i of {@link #backActivation}: dL/du from dL/dh and u, with elu
     * and tanh from the single exponential e^{-|p|}; the α and ρ_l contributions replace dL/dh and
     * u.
     */
    void backElement(int i, float a, float s) {
        float dj = act[dhOffset + i];
        float u = act[layerUOffset + i];
        float p = s * u;
        float q = exp(-abs(p));
        float ev = p > 0f ? p : q - 1f;
        float tv = tanhFromQ(p, q);
        float dp = dj * activationSlope(u, ev, tv, a);
        act[duOffset + i] = dp * s;
        act[dhOffset + i] = dj * (ev - tv);
        act[layerUOffset + i] = dp * u;
    }

    void storeC(int ci, float acc) {
        if (gemmCTarget == 0) {
            act[ci] = gemmAccumulate != 0 ? act[ci] + gemmAlpha * acc : gemmAlpha * acc;
        } else {
            grad[ci] = gemmAccumulate != 0 ? grad[ci] + gemmAlpha * acc : gemmAlpha * acc;
        }
    }
}
