package dev.bayesnf.opencl;

/**
 * The VI passes of {@link NetworkKernel}: the reparameterisation (θ = μ + σ ε with the noise drawn
 * on the device), the accumulation of each sample's gradient into the surrogate's, the VI loss,
 * the entropy term and the surrogate's Adam update. Element passes as described in
 * {@link NetworkKernel}.
 */
abstract class VariationalPasses extends KernelMaths {
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
}
