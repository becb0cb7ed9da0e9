package dev.bayesnf.opencl;

/**
 * The GPU form of {@link NetworkKernel}: the same passes plus the matrix product tiled through
 * local memory ({@code M_GEMM}), the only pass with work-group barriers.
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
    @Local float[] tileA = new float[TILE * TILE];
    @Local float[] tileB = new float[TILE * TILE];

    @Override
    public void run() {
        if (mode == M_GEMM) {
            gemm();
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
}
