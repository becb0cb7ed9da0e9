package dev.bayesnf.opencl;

/**
 * The scalar float maths the passes of {@link NetworkKernel} share: softplus, sigmoid and the
 * activation, log Γ and digamma, the negative binomial's log-probability and derivatives, erfc,
 * the incomplete beta's continued fraction and the counter-based normal draw; and the first
 * element of an element pass's work-item ({@link #blockStart}). Float32 with the Kernel's mapped
 * maths (exp, log, ... become OpenCL built-ins). Instance methods of a superclass of the kernel
 * rather than static helpers of a class of their own: Aparapi translates static methods of other
 * classes, but maps the maths only as instance methods of the Kernel, and a static helper has no
 * instance to call them on.
 */
abstract class KernelMaths extends KernelState {
    /**
     * softplus(v) = max(v, 0) + log1p(q) with q = e^{-|v|} ≤ 1, and log1p(q) in plain arithmetic
     * as 2 atanh(z), z = q / (2 + q) ≤ 1/3, summed to the z¹⁷ term (truncation below 2e-10
     * relative; measured worst error of the log1p 2.3e-7 relative for normal floats, against 6e-8
     * for a correctly rounded float). Why not the built-in log1p: pocl keeps it an out-of-line
     * call, which stops its compiler from vectorising any loop that uses it (such as the prior
     * pass over all parameters). Inline here rather than a helper:
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

    // ---- element passes: range (pad(ceil(n / elementBlock)), K), member k = getGlobalId(1); each work-item
    // handles elements [e0, e0 + elementBlock) of one member. elementBlock is 1 in the GPU form (one element per
    // work-item, coalesced) and ELEMENT_BLOCK in the CPU form (a contiguous loop the driver
    // vectorises); no index is divided.

    /** First element of this work-item's block. */
    int blockStart() {
        return getGlobalId(0) * elementBlock;
    }
}
