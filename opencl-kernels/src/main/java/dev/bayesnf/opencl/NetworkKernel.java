package dev.bayesnf.opencl;

/**
 * The BayesNF network of spec §4.2 as one Aparapi kernel with several passes, chosen by
 * {@link #mode}: the host ({@link DeviceNetwork}) sets the pass's scalar fields and executes it
 * over a range. All arrays stay on the device between passes (explicit buffer management), so one
 * training step of a whole ensemble uploads only the batch row indices and downloads K losses.
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
abstract class NetworkKernel extends SummaryPasses {
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

    /** Scaled input z_i = x_i / (c_i e^{a_i}) of a data row for member scalar base kb = k·nSc. */
    float zOf(int kb, int row, int i) {
        return x[row * nD + i] * msc[kb + scA + i];
    }

    int dataRow(int k, int r) {
        return rows[(shared != 0 ? 0 : k) * bTotal + rowBase + r];
    }

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
