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
     * the step's surrogate for {@link #viLoss}. Elements: 2P. log σ is computed here, once per
     * step, rather than per sample in {@link #viSample}: pocl keeps log an out-of-line call, and a
     * call stops its compiler from vectorising the sampling loop.
     */
    void viZero() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(2 * paramCount, e0 + elementBlock);
        for (int e = e0; e < end; e++) {
            surrogateGrad[k * 2 * paramCount + e] = 0f;
        }
        int pEnd = min(paramCount, end);
        for (int e = e0; e < pEnd; e++) {
            logSigma[k * paramCount + e] = log(viSigma(k, e));
        }
        if (e0 == 0) {
            variationalLoss[k] = 0f;
        }
    }

    /** σ of surrogate element (k, e): 1e-4 + softplus(ρ). */
    float viSigma(int k, int e) {
        return SCALE_FLOOR + softplusF(surrogate[k * 2 * paramCount + paramCount + e]);
    }

    /**
     * Draws ε of sample {@link #sample} into noise ({@link #normalF}), then θ = μ + σ ε into params
     * (reparameterisation, spec §5.4), and the element's log q(θ) term without log σ,
     * -ε²/2 - log √(2π), into logQTerms. Elements: P.
     */
    void viSample() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(paramCount, e0 + elementBlock);
        long key = noiseKeys[k * sampleCount + sample];
        for (int e = e0; e < end; e++) {
            noise[k * paramCount + e] = normalF(key, e);
        }
        for (int e = e0; e < end; e++) {
            float sigma = viSigma(k, e);
            float ev = noise[k * paramCount + e];
            params[k * paramCount + e] = surrogate[k * 2 * paramCount + e] + sigma * ev;
            logQTerms[k * paramCount + e] = -0.5f * ev * ev - HALF_LOG_TWO_PI;
        }
    }

    /**
     * Adds sample {@link #sample}'s dL/dθ to the surrogate gradient: dμ += g/S, dσ += g ε/S.
     * Elements: P.
     */
    void viAccumulate() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(paramCount, e0 + elementBlock);
        float inv = 1f / sampleCount;
        int sb = k * 2 * paramCount;
        for (int e = e0; e < end; e++) {
            float g = grad[k * paramCount + e];
            surrogateGrad[sb + e] += g * inv;
            surrogateGrad[sb + paramCount + e] += g * noise[k * paramCount + e] * inv;
        }
    }

    /**
     * variationalLoss[k] += (loss[k] + log q(θ_s)) / S, log q summed in element order from
     * logQTerms and logSigma, compensated as in {@link NetworkKernel#lossPass}. Range K.
     */
    void viLoss() {
        int k = getGlobalId();
        if (k < memberCount) {
            float lq = 0f;
            float comp = 0f;
            for (int e0 = 0; e0 < paramCount; e0 += SUM_BLOCK) {
                int end = min(paramCount, e0 + SUM_BLOCK);
                float b = 0f;
                for (int e = e0; e < end; e++) {
                    b += logQTerms[k * paramCount + e] - logSigma[k * paramCount + e];
                }
                float v = b - comp;
                float t = lq + v;
                comp = (t - lq) - v;
                lq = t;
            }
            variationalLoss[k] += (loss[k] + lq) / sampleCount;
        }
    }

    /** dσ -= 1/σ (the entropy term), then dρ = dσ · sigmoid(ρ). Elements: P. */
    void viFinish() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(paramCount, e0 + elementBlock);
        for (int e = e0; e < end; e++) {
            int i = k * 2 * paramCount + paramCount + e;
            surrogateGrad[i] = (surrogateGrad[i] - 1f / viSigma(k, e)) * sigmoidF(surrogate[i]);
        }
    }

    /** One Adam update of every VI surrogate element (μ and ρ in surrogate, from surrogateGrad). Elements: 2P. */
    void adamVi() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(2 * paramCount, e0 + elementBlock);
        for (int e = e0; e < end; e++) {
            int i = k * 2 * paramCount + e;
            float g = surrogateGrad[i];
            float a = beta1 * moment1[i] + (1f - beta1) * g;
            float b = beta2 * moment2[i] + (1f - beta2) * g * g;
            moment1[i] = a;
            moment2[i] = b;
            surrogate[i] = surrogate[i] - learningRate * (a / biasCorrection1) / (sqrt(b / biasCorrection2) + adamEpsilon);
        }
    }
}
