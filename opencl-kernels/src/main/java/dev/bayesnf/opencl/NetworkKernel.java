package dev.bayesnf.opencl;

/**
 * The BayesNF network of spec §4.2 as one Aparapi kernel with several passes, chosen by
 * {@link #mode}: the host ({@link DeviceNetwork}) sets the pass's scalar fields and executes it
 * over a range. All arrays stay on the device between passes (explicit buffer management), so one
 * training step of a whole ensemble uploads only the batch row indices and downloads K losses.
 * This class holds the passes both forms share (features, output and likelihood, back-features,
 * reductions, gradient finish, prior, loss, Adam, zeroing, per-member scalars) and
 * {@link #passes}, which runs them.
 *
 * <p>The kernel is one class hierarchy because Aparapi translates only the kernel class and its
 * superclasses (fields and methods alike) into the OpenCL program, and maps its maths (exp, log,
 * ...) only on the kernel: {@link KernelState} (fields and constants), {@link KernelMaths} (float
 * maths), {@link VariationalPasses}, {@link SummaryPasses}, this class, and one final class per
 * form.
 *
 * <p>Two forms of the heavy passes, chosen by the host per device ({@code DeviceNetwork}), each
 * its own kernel class so that each compiled kernel holds only its own passes:
 * <ul>
 *   <li>GPU form ({@link GpuNetworkKernel}): one work-item per output element (activation,
 *       back-activation, layer sums, and the element passes with {@link #elementBlock} = 1) and
 *       products tiled through local memory, coalesced along the contiguous dimension;
 *   <li>CPU form ({@link CpuNetworkKernel}): one work-item per block of rows, member or block of
 *       elements with a contiguous inner loop ({@link CpuNetworkKernel#gemmAxpy},
 *       {@link CpuNetworkKernel#layerSumsRows}, {@link CpuNetworkKernel#transposeRows}, the
 *       element passes with {@link #elementBlock} = {@link #ELEMENT_BLOCK}); no barrier anywhere
 *       (see {@link GpuNetworkKernel}). CPU drivers such as pocl vectorise loops inside a
 *       work-item, but did not vectorise across the work-items of this many-pass kernel (an
 *       element-per-work-item activation pass ran several times slower than the row form on pocl,
 *       docs/BENCHMARKS.md). A work-item owns whole rows, so the elementwise work on a product's
 *       result runs in the product's epilogue while the rows are in cache
 *       ({@link #gemmEpilogue}): the bias and activation after the forward products, when
 *       training after the last one also the output, the likelihood and the last layer's
 *       back-activation, and the back-activation after the input-gradient products.
 * </ul>
 * VI adds the reparameterisation passes ({@link VariationalPasses}), and prediction a per-row
 * summary ({@link SummaryPasses#summary}: mixture mean and quantiles by bracketed root finding).
 *
 * <p>Float32 throughout, with the Kernel's float maths (no double precision on the device).
 * Aparapi caveats respected: no switch, no enhanced for, no objects, no allocation in passes.
 *
 * <p>Not thread-safe: one host thread drives a kernel.
 */
abstract class NetworkKernel extends SummaryPasses {
    /**
     * Runs the pass {@link #mode} names among those both forms share;
     * {@link CpuNetworkKernel#run} adds the CPU form's own passes and
     * {@link GpuNetworkKernel#run} the GPU form's. Each form's kernel thus contains only its own
     * passes: the CPU form's product uses a private array the GPU form should not reserve per
     * work-item, and the GPU form's product uses barriers (see {@link GpuNetworkKernel}).
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

    /** Scaled input z_i = x_i / (c_i e^{a_i}) of a data row for member scalar base kb = k·scalarCount. */
    float zOf(int kb, int row, int i) {
        return x[row * columnCount + i] * memberScalars[kb + inputScaleScalar + i];
    }

    /** The table row of chunk row r of member k. */
    int dataRow(int k, int r) {
        return batchRows[(sharedBatch != 0 ? 0 : k) * batchSize + chunkStart + r];
    }

    /**
     * The per-row passes ({@link #featureRow}, {@link #outputRow}, {@link #backFeatureRow}, chosen
     * by {@link #mode}) over {@link #rowBlock} chunk rows of one member per work-item.
     * Range (pad(ceil(chunkRows / rowBlock)), K).
     */
    void rowPasses() {
        int k = getGlobalId(1);
        int r0 = getGlobalId(0) * rowBlock;
        int rEnd = min(rowsInChunk, r0 + rowBlock);
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
            int kb = k * scalarCount;
            int hb = featuresOffset + (k * chunkRows + r) * featureCount;
            int rb = (k * chunkRows + r) * slotCount;
            if (training != 0) {
                for (int s = 0; s < slotCount; s++) {
                    rowTerms[rb + s] = 0f;
                }
            }
            for (int g = 0; g < groupCount; g++) {
                float sg = memberScalars[kb + gammaScalar + g];
                int st = hb + groupStart[g];
                int kind = groupKind[g];
                if (kind == GROUP_LINEAR) {
                    for (int i = 0; i < columnCount; i++) {
                        act[st + i] = sg * zOf(kb, row, i);
                    }
                } else if (kind == GROUP_FOURIER) {
                    int col = groupColumn[g];
                    int deg = fourierDegree[col];
                    float zc = zOf(kb, row, col);
                    float fr = 2f;
                    for (int d = 0; d < deg; d++) {
                        float div = d + 1;
                        act[st + d] = sg * cospi(fr * zc) / div;
                        act[st + deg + d] = sg * sinpi(fr * zc) / div;
                        fr = fr * 2f;
                    }
                } else if (kind == GROUP_SEASONAL) {
                    for (int j = 0; j < seasonalWidth; j++) {
                        act[st + j] = sg * seasonal[seasonalIndex[row] * seasonalWidth + j];
                    }
                } else {
                    for (int m = 0; m < interactionCount; m++) {
                        act[st + m] = sg * zOf(kb, row, interactionA[m]) * zOf(kb, row, interactionB[m]);
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
            int pb = k * paramCount;
            int hb = lastHiddenOffset + (k * chunkRows + r) * width;
            // four partial sums: a single running sum is one long chain of dependent
            // multiply-adds per row, which left this pass waiting on latency
            int wb = pb + outWeightOffset;
            float acc0 = 0f;
            float acc1 = 0f;
            float acc2 = 0f;
            float acc3 = 0f;
            int j4 = width - width % 4;
            for (int j = 0; j < j4; j += 4) {
                acc0 += act[hb + j] * params[wb + j];
                acc1 += act[hb + j + 1] * params[wb + j + 1];
                acc2 += act[hb + j + 2] * params[wb + j + 2];
                acc3 += act[hb + j + 3] * params[wb + j + 3];
            }
            for (int j = j4; j < width; j++) {
                acc0 += act[hb + j] * params[wb + j];
            }
            float v = ((acc0 + acc1) + (acc2 + acc3)) * invSqrtWidth + params[pb + outBiasOffset];
            float so = memberScalars[k * scalarCount + 1];
            float f = so * v;
            if (training == 0) {
                outputs[k * chunkRows + r] = f;
            } else {
                int row = dataRow(k, r);
                int rb = (k * chunkRows + r) * slotCount;
                float gf = 0f;
                if (likelihood == LIK_NORMAL) {
                    float e = exp(params[pb]);
                    float sigma = NOISE_FLOOR + e;
                    float res = (y[row] - f) / sigma;
                    rowTerms[rb + S_LL] = -0.5f * res * res - log(sigma) - HALF_LOG_TWO_PI;
                    gf = -lossScale * res / sigma;
                    rowTerms[rb + S_NU] = -lossScale * (res * res - 1f) / sigma * e;
                } else {
                    gf = countRow(rb, y[row], logGammaY[row], f, params[pb + 1], params[pb + 2]);
                }
                rowTerms[rb + S_SO] = gf * v;
                rowTerms[rb + S_BOUT] = gf * so;
                float go = gf * so;
                act[outputGradOffset + k * chunkRows + r] = go;
                // the CPU form forms dL/dh of the last layer in its back-activation instead
                if (mode == M_OUTPUT) {
                    int db = dhOffset + (k * chunkRows + r) * width;
                    for (int j = 0; j < width; j++) {
                        act[db + j] = go * params[pb + outWeightOffset + j] * invSqrtWidth;
                    }
                }
            }
        }
    }

    /**
     * The NB or ZINB log-likelihood of one row into rowTerms[rb + S_LL] and -lossScale × its κ and
     * ζ derivatives into their slots (as {@code ObservationModel.logProb}); returns -lossScale ×
     * d/df.
     */
    float countRow(int rb, float yk, float lgk, float f, float kap, float zeta) {
        float ll = 0f;
        float gF = 0f;
        float gK = 0f;
        float gZ = 0f;
        if (likelihood == LIK_NB) {
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
        rowTerms[rb + S_LL] = ll;
        rowTerms[rb + S_KAPPA] = -lossScale * gK;
        rowTerms[rb + S_ZETA] = -lossScale * gZ;
        return -lossScale * gF;
    }

    /**
     * Gradients of the feature scales γ and the input log-scales a from dL/dh⁰ of chunk row r of
     * member k.
     */
    void backFeatureRow(int k, int r) {
        {
            int row = dataRow(k, r);
            int kb = k * scalarCount;
            int hb = featuresOffset + (k * chunkRows + r) * featureCount;
            int db = dFeaturesOffset + (k * chunkRows + r) * featureStride;
            int rb = (k * chunkRows + r) * slotCount;
            for (int g = 0; g < groupCount; g++) {
                float sg = memberScalars[kb + gammaScalar + g];
                int st = groupStart[g];
                int kind = groupKind[g];
                int len = 0;
                if (kind == GROUP_LINEAR) {
                    len = columnCount;
                } else if (kind == GROUP_FOURIER) {
                    len = 2 * fourierDegree[groupColumn[g]];
                } else if (kind == GROUP_SEASONAL) {
                    len = seasonalWidth;
                } else {
                    len = interactionCount;
                }
                float acc = 0f;
                for (int i = 0; i < len; i++) {
                    acc += act[db + st + i] * act[hb + st + i];
                }
                rowTerms[rb + firstGroupSlot + g] = acc / sg;
                if (kind == GROUP_LINEAR) {
                    for (int i = 0; i < columnCount; i++) {
                        rowTerms[rb + firstLogScaleSlot + i] -= act[db + st + i] * sg * zOf(kb, row, i);
                    }
                } else if (kind == GROUP_FOURIER) {
                    int col = groupColumn[g];
                    int deg = fourierDegree[col];
                    float dz = 0f;
                    float freq = 6.2831855f;
                    for (int d = 0; d < deg; d++) {
                        dz += freq * (-act[db + st + d] * act[hb + st + deg + d]
                                + act[db + st + deg + d] * act[hb + st + d]);
                        freq = freq * 2f;
                    }
                    rowTerms[rb + firstLogScaleSlot + col] -= dz * zOf(kb, row, col);
                } else if (kind != GROUP_SEASONAL) {
                    for (int m = 0; m < interactionCount; m++) {
                        int ia = interactionA[m];
                        int ib = interactionB[m];
                        float za = zOf(kb, row, ia);
                        float zb = zOf(kb, row, ib);
                        float dm = act[db + st + m] * sg;
                        rowTerms[rb + firstLogScaleSlot + ia] -= dm * zb * za;
                        rowTerms[rb + firstLogScaleSlot + ib] -= dm * za * zb;
                    }
                }
            }
        }
    }

    /** reduced[k][s] += Σ_{r &lt; rowsInChunk} rowTerms[k][r][s], in row order. Range K·NS. */
    void reduce() {
        int gid = getGlobalId();
        int k = gid / slotCount;
        int s = gid - k * slotCount;
        if (k < memberCount) {
            float acc = 0f;
            for (int r = 0; r < rowsInChunk; r++) {
                acc += rowTerms[(k * chunkRows + r) * slotCount + s];
            }
            reduced[gid] += acc;
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
        if (k < memberCount) {
            int pb = k * paramCount;
            int rb = k * slotCount;
            grad[pb] += reduced[rb + S_NU];
            grad[pb + 1] += reduced[rb + S_KAPPA];
            grad[pb + 2] += reduced[rb + S_ZETA];
            for (int i = 0; i < columnCount; i++) {
                grad[pb + logScaleOffset + i] += reduced[rb + firstLogScaleSlot + i];
            }
            for (int g = 0; g < groupCount; g++) {
                grad[pb + gammaOffset + g] += reduced[rb + firstGroupSlot + g] * sigmoidF(params[pb + gammaOffset + g]);
            }
            float al = sigmoidF(params[pb + lambdaOffset]);
            float sa = 0f;
            for (int l = 0; l < depth; l++) {
                int o = ((k * depth + l) * 2) * width;
                float ss = 0f;
                for (int j = 0; j < width; j++) {
                    sa += layerColumnSums[o + j];
                    ss += layerColumnSums[o + width + j];
                }
                grad[pb + rhoOffsets[l]] += ss * sigmoidF(params[pb + rhoOffsets[l]]);
            }
            grad[pb + lambdaOffset] += sa * al * (1f - al);
            grad[pb + outBiasOffset] += reduced[rb + S_BOUT];
            grad[pb + outRhoOffset] += reduced[rb + S_SO] * sigmoidF(params[pb + outRhoOffset]);
        }
    }

    /** The per-member scalars {@link #memberScalars} from the parameters. Range K·scalarCount. */
    void scalars() {
        int gid = getGlobalId();
        int k = gid / scalarCount;
        int i = gid - k * scalarCount;
        if (k < memberCount) {
            int pb = k * paramCount;
            float v = 0f;
            if (i == 0) {
                v = sigmoidF(params[pb + lambdaOffset]);
            } else if (i == 1) {
                v = softplusF(params[pb + outRhoOffset]);
            } else if (i < gammaScalar) {
                v = softplusF(params[pb + rhoOffsets[i - 2]]);
            } else if (i < inputScaleScalar) {
                v = softplusF(params[pb + gammaOffset + i - gammaScalar]);
            } else if (i < noiseScalar) {
                v = 1f / (inputScale[i - inputScaleScalar] * exp(params[pb + logScaleOffset + i - inputScaleScalar]));
            } else {
                v = 1f / ((NOISE_FLOOR + exp(params[pb])) * 1.4142135f);
            }
            memberScalars[gid] = v;
        }
    }

    /**
     * The prior: w · d/dθ of -log Logistic(θ; loc, 1) into grad, and log Logistic(θ; loc, 1) into
     * logPrior (loc = -1.5 for κ, 0 otherwise, spec §4.3). Elements: P.
     */
    void prior() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(paramCount, e0 + elementBlock);
        for (int e = e0; e < end; e++) {
            int i = k * paramCount + e;
            float d = params[i] - (e == 1 ? KAPPA_PRIOR_LOC : 0f);
            // tanh(d/2) = ±(1 - q) / (1 + q), q = e^{-|d|}: arithmetic the compiler vectorises
            float q = exp(-abs(d));
            float th = (1f - q) / (1f + q);
            grad[i] += priorWeight * (d >= 0f ? th : -th);
            logPrior[i] = -d - 2f * softplusF(-d);
        }
    }

    /**
     * loss[k] = -lossScale Σ log p(y|θ) - w Σ log p(θ). Range K. The prior's sum over the P
     * parameters goes by blocks of {@link #SUM_BLOCK}, the block sums added with compensation
     * (Kahan): a plain float sum drifts by up to P·6e-8 of the sum of magnitudes, and at width 300
     * and depth 3 (P ≈ 2·10⁵) it moved the loss by 1.2e-4 of itself from the Java backend's.
     * Blocks rather than every element: the compensation is a chain of four dependent operations
     * per addend, and compensating every element made the pass several times slower
     * (docs/BENCHMARKS.md).
     */
    void lossPass() {
        int k = getGlobalId();
        if (k < memberCount) {
            float prior = 0f;
            float comp = 0f;
            if (priorWeight != 0f) {
                for (int e0 = 0; e0 < paramCount; e0 += SUM_BLOCK) {
                    int end = min(paramCount, e0 + SUM_BLOCK);
                    float b = 0f;
                    for (int e = e0; e < end; e++) {
                        b += logPrior[k * paramCount + e];
                    }
                    float v = b - comp;
                    float t = prior + v;
                    comp = (t - prior) - v;
                    prior = t;
                }
            }
            loss[k] = -lossScale * reduced[k * slotCount + S_LL] - priorWeight * prior;
        }
    }

    /** One Adam update of every state element of the point estimates (params from grad). Elements: P. */
    void adam() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(paramCount, e0 + elementBlock);
        for (int e = e0; e < end; e++) {
            int i = k * paramCount + e;
            float g = grad[i];
            float a = beta1 * moment1[i] + (1f - beta1) * g;
            float b = beta2 * moment2[i] + (1f - beta2) * g * g;
            moment1[i] = a;
            moment2[i] = b;
            params[i] = params[i] - learningRate * (a / biasCorrection1) / (sqrt(b / biasCorrection2) + adamEpsilon);
        }
    }

    /**
     * Clears the gradient; the first block of each member also clears its reduced slots and layer
     * sums. Elements: P.
     */
    void zero() {
        int k = getGlobalId(1);
        int e0 = blockStart();
        int end = min(paramCount, e0 + elementBlock);
        for (int e = e0; e < end; e++) {
            grad[k * paramCount + e] = 0f;
        }
        if (e0 == 0) {
            for (int s = 0; s < slotCount; s++) {
                reduced[k * slotCount + s] = 0f;
            }
            int lb = k * depth * 2 * width;
            for (int j = 0; j < depth * 2 * width; j++) {
                layerColumnSums[lb + j] = 0f;
            }
        }
    }
}
