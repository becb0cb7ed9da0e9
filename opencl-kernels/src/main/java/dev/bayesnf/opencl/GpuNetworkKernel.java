package dev.bayesnf.opencl;

/**
 * The GPU form of {@link NetworkKernel}: the passes both forms share ({@link NetworkKernel#passes})
 * plus its own, one work-item per output element: the matrix product tiled through local memory
 * ({@code M_GEMM}, the only pass with work-group barriers), the activation, back-activation, layer
 * sums and transposition.
 *
 * <p>Why a subclass: pocl (the CPU driver) adds an implicit barrier to every loop of a kernel that
 * has any barrier at all, so that it can run the work-items of a work-group in lock step per loop
 * iteration; every value a loop carries then lives in a per-work-item context array in memory
 * instead of a register (pocl's {@code ImplicitLoopBarriers}, which leaves barrier-free kernels
 * alone). Aparapi translates only the methods reachable from {@code run()}, so the CPU form
 * ({@link NetworkKernel}) compiles without a barrier. Measured on pocl with wind-cpu's shapes: the
 * CPU-form product 4096x128x128 took 18.2 instead of 19.8 ms, the transposition 2.2 instead of 3.6
 * ms and the features 9.1 instead of 10.4 ms per call once the barrier-using product moved here.
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
        int aBase = gaOff + k * gaSk;
        int bBase = gbOff + k * gbSk;
        float acc = 0f;
        for (int t0 = 0; t0 < gT; t0 += TILE) {
            int ta = t0 + ln;
            float av = 0f;
            if (m < gM && ta < gT) {
                av = act[aBase + m * gaSm + ta * gaSt];
            }
            tileA[lm * TILE + ln] = av;
            int tb = t0 + lm;
            float bv = 0f;
            if (n < gN && tb < gT) {
                int bi = bBase + tb * gbSt + n * gbSn;
                bv = gbSrc == 0 ? par[bi] : act[bi];
            }
            tileB[lm * TILE + ln] = bv;
            localBarrier();
            for (int i = 0; i < TILE; i++) {
                acc += tileA[lm * TILE + i] * tileB[i * TILE + ln];
            }
            localBarrier();
        }
        if (m < gM && n < gN) {
            storeC(gcOff + k * gcSk + m * gcSm + n, acc);
        }
    }

    /**
     * u = acc + b, h = α elu(s u) + (1-α) tanh(s u) for one (unit, row, member). Range (W, bc, K)
     * padded: three dimensions instead of one divided index, since integer division does not
     * vectorise on CPU drivers (a 1-D version of this pass ran 7x slower on pocl).
     */
    void activation() {
        int j = getGlobalId(0);
        int r = getGlobalId(1);
        int k = getGlobalId(2);
        if (j < nW && r < bn) {
            int gid = (k * bc + r) * nW + j;
            float a = msc[k * nSc];
            float s = msc[k * nSc + 2 + lIndex];
            float u = act[lUOff + gid] + par[k * nP + lBOff + j];
            act[lUOff + gid] = u;
            float p = s * u;
            act[lHOff + gid] = activationF(p, a);
        }
    }

    /**
     * dL/du of layer l from dL/dh for one (unit, row, member); the element's d/dα and
     * d/d softplus(ρ_l) contributions replace dL/dh and u in place (neither is read again), for
     * {@link #layerSums}. Range (W, bc, K) padded.
     */
    void backActivation() {
        int j = getGlobalId(0);
        int r = getGlobalId(1);
        int k = getGlobalId(2);
        if (j < nW && r < bn) {
            float a = msc[k * nSc];
            float s = msc[k * nSc + 2 + lIndex];
            backElement((k * bc + r) * nW + j, a, s);
        }
    }

    /**
     * Adds the column sums over the chunk's rows of the d/dα and d/d softplus(ρ_l) contributions
     * that {@link #backActivation} left in place, in row order, to {@link #lsum}, and those of
     * dL/du to the bias gradient of the layer. Range (W, K) padded: contiguous along the units, so
     * it vectorises.
     */
    void layerSums() {
        int j = getGlobalId(0);
        int k = getGlobalId(1);
        if (j < nW) {
            float sa = 0f;
            float ss = 0f;
            float sd = 0f;
            for (int r = 0; r < bn; r++) {
                int i = (k * bc + r) * nW + j;
                sa += act[dhOff + i];
                ss += act[lUOff + i];
                sd += act[duOff + i];
            }
            int o = ((k * nL + lIndex) * 2) * nW + j;
            lsum[o] += sa;
            lsum[o + nW] += ss;
            grad[k * nP + lBOff + j] += sd;
        }
    }

    /**
     * The transposed weights W_lᵀ of layer l into act at lWtOff (Wt[k][t][n] = W_l[k][n][t]),
     * so that the input-gradient product reads B contiguously. Range (nin, W, K) padded.
     */
    void transpose() {
        int n = getGlobalId(0);
        int t = getGlobalId(1);
        int k = getGlobalId(2);
        if (n < lNin && t < nW) {
            act[lWtOff + (k * nW + t) * lNinS + n] = par[k * nP + lWOff + n * nW + t];
        }
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

    void storeC(int ci, float acc) {
        if (gcDst == 0) {
            act[ci] = gAcc != 0 ? act[ci] + gAlpha * acc : gAlpha * acc;
        } else {
            grad[ci] = gAcc != 0 ? grad[ci] + gAlpha * acc : gAlpha * acc;
        }
    }
}
