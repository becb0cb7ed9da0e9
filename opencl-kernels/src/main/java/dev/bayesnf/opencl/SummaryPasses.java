package dev.bayesnf.opencl;

/**
 * The prediction summary of {@link NetworkKernel}: per chunk row, the equal-weight mixture's mean
 * and quantiles from every member's network output, by bracketed root finding on the mixture CDF.
 */
abstract class SummaryPasses extends VariationalPasses {
    /** Predictive mean of member k's component at network output f. */
    float compMean(int k, float f) {
        int pb = k * paramCount;
        float m = f;
        if (likelihood != LIK_NORMAL) {
            m = nbMeanF(f, params[pb + 1]);
            if (likelihood == LIK_ZINB) {
                m = (1f - sigmoidF(params[pb + 2])) * m;
            }
        }
        return m;
    }

    /** Predictive standard deviation of member k's component. */
    float compSd(int k, float f) {
        int pb = k * paramCount;
        float sd = 0f;
        if (likelihood == LIK_NORMAL) {
            sd = NOISE_FLOOR + exp(params[pb]);
        } else {
            float kap = params[pb + 1];
            float mu = nbMeanF(f, kap);
            float var = mu + softplusF(kap) * mu * mu;
            if (likelihood == LIK_NB) {
                sd = sqrt(var);
            } else {
                float pi = sigmoidF(params[pb + 2]);
                float m1 = (1f - pi) * mu;
                sd = sqrt(max(0f, (1f - pi) * (var + mu * mu) - m1 * m1));
            }
        }
        return sd;
    }

    /**
     * CDF at x ≥ 0 of member k's count component: TFP's continuous extension I_{σ(-ℓ)}(r, 1 + x)
     * (spec §6.4), the regularised incomplete beta by Lentz's continued fraction, plus the zero
     * inflation for ZINB.
     */
    float countCdf(int k, float f, float x) {
        int pb = k * paramCount;
        float s = softplusF(params[pb + 1]);
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
        if (likelihood == LIK_ZINB) {
            float pi = sigmoidF(params[pb + 2]);
            v = pi + (1f - pi) * v;
        }
        return v;
    }

    /** The equal-weight mixture CDF at x for chunk row r, minus q. */
    float mixCdf(int r, float x, float q) {
        float sum = 0f;
        for (int k = 0; k < memberCount; k++) {
            float f = outputs[k * chunkRows + r];
            if (likelihood == LIK_NORMAL) {
                // Φ((x - f)/σ) = erfc((f - x)/(√2 σ))/2, the member's 1/(√2 σ) from the scalars pass
                sum += 0.5f * erfcF((f - x) * memberScalars[k * scalarCount + noiseScalar]);
            } else if (x >= 0f) {
                sum += countCdf(k, f, x);
            }
        }
        return sum / memberCount - q;
    }

    /** 1 when u and v have the same sign (zero counting as positive), else 0. */
    int sameSign(float u, float v) {
        return (u < 0f && v < 0f) || (u >= 0f && v >= 0f) ? 1 : 0;
    }

    /**
     * Mixture mean and quantiles of one chunk row from the members' network outputs (as
     * {@code BayesNFPredictor} computes them: per-row brackets, Chandrupatla's root finder with the
     * same stopping rules, count quantiles ceiled and 0 where the mixture's P(Y = 0) exceeds the
     * level). The root finder is written out here rather than in a helper: Aparapi orders the
     * OpenCL functions it emits by call depth, and deeper helper chains came out in an order the
     * OpenCL compiler refused. Range pad(chunkRows).
     */
    void summary() {
        int r = getGlobalId();
        if (r < rowsInChunk) {
            float m = 0f;
            float lo = 3.0e38f;
            float hi = -3.0e38f;
            float maxSd = 0f;
            for (int k = 0; k < memberCount; k++) {
                float f = outputs[k * chunkRows + r];
                float mu = compMean(k, f);
                m += mu;
                lo = min(lo, mu);
                hi = max(hi, mu);
                maxSd = max(maxSd, compSd(k, f));
            }
            mixtureMean[r] = m / memberCount;
            // P(Y = 0) of the mixture: its CDF at 0 (the continuous extension is exact at integers)
            float p0 = likelihood == LIK_NORMAL ? 0f : mixCdf(r, 0f, 0f);
            for (int j = 0; j < levelCount; j++) {
                float q = levels[j];
                float a = 0f;
                float b = hi + 1.1f * maxSd / sqrt(1f - q);
                if (likelihood == LIK_NORMAL) {
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
                if (likelihood != LIK_NORMAL) {
                    best = p0 > q ? 0f : ceil(best);
                }
                mixtureQuantiles[j * chunkRows + r] = best;
            }
        }
    }
}
