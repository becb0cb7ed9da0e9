package dev.bayesnf.core.compute;

import static dev.bayesnf.core.NeuralFieldMath.sigmoid;
import static dev.bayesnf.core.NeuralFieldMath.softplus;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import java.util.Arrays;

/**
 * One thread's scratch space for the BayesNF network of spec §4.2 and its hand-derived reverse
 * mode: {@link #load} unpacks one parameter vector, {@link #accumulate} runs forward, likelihood
 * and backward over a list of rows in blocks of {@link #BLOCK} rows and adds the gradient of
 * -scale · Σ log p(y | f(x)) to a gradient vector; {@link #forward} only predicts.
 *
 * <p>Forward pass per row (L hidden layers, width W):
 * <pre>
 *   z = x / (c e^a);  h⁰ = [softplus(γ_g) · group_g(z, t)]_g
 *   u_l = (h^{l} / sqrt(n_l)) W_l + b_l;  p_l = softplus(ρ_l) u_l
 *   h^{l+1} = α elu(p_l) + (1-α) tanh(p_l),  α = sigmoid(λ)
 *   f = softplus(ρ_out) ((h^L / sqrt(W)) W_out + b_out)
 * </pre>
 *
 * <p>Not thread-safe: each worker thread owns one.
 */
public final class NetworkWorkspace {
    /** Rows processed together (activations of one block stay in cache). */
    public static final int BLOCK = 64;
    private static final double TWO_PI = 2 * Math.PI;

    private final FeatureLayout layout;
    private final int d;
    private final int fin;
    private final int width;
    private final int depth;

    // Unpacked parameters.
    private final float[][][] w;
    private final float[][][] wt;
    private final float[][] b;
    private final float[] wout;
    private float bout;
    private final float[] invScale;
    private final float[] groupScale;
    private final float[] sr;
    private float so;
    private float alpha;
    private float nu;
    private float kappa;
    private float zeta;
    private float[] theta;

    // Gradient accumulators (unscaled by 1/sqrt(n) for kernels).
    private final float[][][] gw;
    private final double[][] gb;
    private final double[] gwout;
    private final double[] gGroup;
    private final double[] ga;
    private final double[] gsr;
    private double gso;
    private double gbout;
    private double galpha;
    private final double[] gLik = new double[4];

    // Activations of one block.
    private final float[][] z;
    private final float[][] h0;
    private final float[][][] u;
    private final float[][][] e;
    private final float[][][] t;
    private final float[][][] h;
    private final float[][] dh;
    private final float[][] du;
    private final float[][] dIn;
    private final float[] v = new float[BLOCK];
    private final float[] f = new float[BLOCK];
    private final float[] gf = new float[BLOCK];
    private final float[][] xs = new float[BLOCK][];
    private final float[][] ss = new float[BLOCK][];

    public NetworkWorkspace(FeatureLayout layout) {
        this.layout = layout;
        this.d = layout.columns();
        this.fin = layout.inputWidth();
        this.width = layout.width();
        this.depth = layout.depth();
        w = new float[depth][][];
        wt = new float[depth][][];
        gw = new float[depth][][];
        b = new float[depth][width];
        gb = new double[depth][width];
        u = new float[depth][BLOCK][width];
        e = new float[depth][BLOCK][width];
        t = new float[depth][BLOCK][width];
        h = new float[depth][BLOCK][width];
        for (int l = 0; l < depth; l++) {
            int n = layout.layerInputWidth(l);
            w[l] = new float[n][width];
            wt[l] = new float[width][n];
            gw[l] = new float[n][width];
        }
        wout = new float[width];
        gwout = new double[width];
        invScale = new float[d];
        groupScale = new float[layout.groupCount()];
        gGroup = new double[layout.groupCount()];
        ga = new double[d];
        sr = new float[depth];
        gsr = new double[depth];
        z = new float[BLOCK][d];
        h0 = new float[BLOCK][fin];
        dh = new float[BLOCK][width];
        du = new float[BLOCK][width];
        dIn = new float[BLOCK][Math.max(fin, width)];
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** Unpacks parameter vector θ (layout of {@link FeatureLayout}); keeps a reference to it. */
    public void load(float[] params) {
        this.theta = params;
        nu = params[FeatureLayout.NU];
        kappa = params[FeatureLayout.KAPPA];
        zeta = params[FeatureLayout.ZETA];
        for (int i = 0; i < d; i++) {
            invScale[i] = (float) (1 / (layout.inputScale(i) * Math.exp(params[layout.aOffset() + i])));
        }
        for (int g = 0; g < groupScale.length; g++) {
            groupScale[g] = softplus(params[layout.gammaOffset() + g]);
        }
        alpha = (float) sigmoid(params[layout.lambdaOffset()]);
        for (int l = 0; l < depth; l++) {
            int n = layout.layerInputWidth(l);
            int off = layout.weightOffset(l);
            for (int i = 0; i < n; i++) {
                System.arraycopy(params, off + i * width, w[l][i], 0, width);
                for (int j = 0; j < width; j++) {
                    wt[l][j][i] = w[l][i][j];
                }
            }
            System.arraycopy(params, layout.biasOffset(l), b[l], 0, width);
            sr[l] = softplus(params[layout.rhoOffset(l)]);
        }
        System.arraycopy(params, layout.outWeightOffset(), wout, 0, width);
        bout = params[layout.outBiasOffset()];
        so = softplus(params[layout.outRhoOffset()]);
    }

    /** Network outputs f for rows [from, to) of x / seasonal, written to out[from..to). */
    public void forward(float[][] x, float[][] seasonal, int from, int to, float[] out) {
        for (int start = from; start < to; start += BLOCK) {
            int n = Math.min(BLOCK, to - start);
            for (int r = 0; r < n; r++) {
                xs[r] = x[start + r];
                ss[r] = seasonal[start + r];
            }
            forwardBlock(n);
            System.arraycopy(f, 0, out, start, n);
        }
    }

    /**
     * Adds to {@code grad} the gradient of -scale · Σ_{i in rows[from..to)} log p(y_i | θ) and
     * returns Σ log p(y_i | θ) over those rows.
     */
    public double accumulate(TrainingData data, ObservationModel lik, int[] rows, int from, int to,
            double scale, float[] grad) {
        clearGradients();
        double sum = 0;
        for (int start = from; start < to; start += BLOCK) {
            int n = Math.min(BLOCK, to - start);
            for (int r = 0; r < n; r++) {
                int row = rows[start + r];
                xs[r] = data.x()[row];
                ss[r] = data.seasonal()[row];
            }
            forwardBlock(n);
            for (int r = 0; r < n; r++) {
                gLik[ObservationModel.G_F] = 0;
                sum += lik.logProb(data.y()[rows[start + r]], f[r], nu, kappa, zeta, gLik, -scale);
                gf[r] = (float) gLik[ObservationModel.G_F];
            }
            backwardBlock(n);
        }
        flushGradients(grad);
        return sum;
    }

    private void forwardBlock(int n) {
        //-- features
        for (int r = 0; r < n; r++) {
            float[] xr = xs[r];
            float[] zr = z[r];
            float[] hr = h0[r];
            for (int i = 0; i < d; i++) {
                zr[i] = xr[i] * invScale[i];
            }
            for (int g = 0; g < groupScale.length; g++) {
                float sg = groupScale[g];
                int start = layout.groupStart(g);
                switch (layout.groupKind(g)) {
                    case FeatureLayout.GROUP_LINEAR:
                        for (int i = 0; i < d; i++) {
                            hr[start + i] = sg * zr[i];
                        }
                        break;
                    case FeatureLayout.GROUP_FOURIER: {
                        int col = layout.groupColumn(g);
                        int k = layout.fourierDegree(col);
                        double ang = TWO_PI * zr[col];
                        double c = Math.cos(ang);
                        double s = Math.sin(ang);
                        for (int deg = 0; deg < k; deg++) {
                            hr[start + deg] = (float) (sg * c / (deg + 1));
                            hr[start + k + deg] = (float) (sg * s / (deg + 1));
                            double c2 = c * c - s * s;
                            s = 2 * s * c;
                            c = c2;
                        }
                        break;
                    }
                    case FeatureLayout.GROUP_SEASONAL: {
                        float[] sr0 = ss[r];
                        for (int j = 0; j < sr0.length; j++) {
                            hr[start + j] = sg * sr0[j];
                        }
                        break;
                    }
                    default:
                        for (int m = 0; m < layout.interactionCount(); m++) {
                            hr[start + m] = sg * zr[layout.interactionA(m)] * zr[layout.interactionB(m)];
                        }
                        break;
                }
            }
        }
        //-- hidden layers
        float a = alpha;
        for (int l = 0; l < depth; l++) {
            float[][] in = l == 0 ? h0 : h[l - 1];
            int nin = layout.layerInputWidth(l);
            float[][] ul = u[l];
            for (int r = 0; r < n; r++) {
                Arrays.fill(ul[r], 0f);
            }
            Gemm.mulAdd(in, n, nin, w[l], width, ul);
            float inv = (float) (1 / Math.sqrt(nin));
            float s = sr[l];
            float[] bl = b[l];
            for (int r = 0; r < n; r++) {
                float[] ur = ul[r];
                float[] er = e[l][r];
                float[] tr = t[l][r];
                float[] hr = h[l][r];
                for (int j = 0; j < width; j++) {
                    float uj = ur[j] * inv + bl[j];
                    ur[j] = uj;
                    float p = s * uj;
                    float eluV;
                    float tanhV;
                    if (p > 0) {
                        float q = (float) Math.exp(-2.0 * p);
                        eluV = p;
                        tanhV = (1 - q) / (1 + q);
                    } else {
                        float ex = (float) Math.exp(p);
                        float q = ex * ex;
                        eluV = ex - 1;
                        tanhV = (q - 1) / (q + 1);
                    }
                    er[j] = eluV;
                    tr[j] = tanhV;
                    hr[j] = a * eluV + (1 - a) * tanhV;
                }
            }
        }
        //-- output
        float[][] last = h[depth - 1];
        float inv = (float) (1 / Math.sqrt(width));
        for (int r = 0; r < n; r++) {
            float[] hr = last[r];
            float acc = 0;
            for (int j = 0; j < width; j++) {
                acc += hr[j] * wout[j];
            }
            v[r] = acc * inv + bout;
            f[r] = so * v[r];
        }
    }

    private void backwardBlock(int n) {
        float invW = (float) (1 / Math.sqrt(width));
        //-- output layer
        float[][] last = h[depth - 1];
        for (int r = 0; r < n; r++) {
            float g = gf[r];
            gso += (double) g * v[r];
            gbout += (double) g * so;
            float go = g * so;
            float[] hr = last[r];
            float[] dr = dh[r];
            for (int j = 0; j < width; j++) {
                gwout[j] += (double) go * hr[j] * invW;
                dr[j] = go * wout[j] * invW;
            }
        }
        //-- hidden layers, last first
        float a = alpha;
        for (int l = depth - 1; l >= 0; l--) {
            float s = sr[l];
            double gs = 0;
            double gal = 0;
            double[] gbl = gb[l];
            for (int r = 0; r < n; r++) {
                float[] dr = dh[r];
                float[] ur = u[l][r];
                float[] er = e[l][r];
                float[] tr = t[l][r];
                float[] dur = du[r];
                for (int j = 0; j < width; j++) {
                    float dj = dr[j];
                    float tj = tr[j];
                    float eluGrad = ur[j] > 0 ? 1f : er[j] + 1f;
                    float dp = dj * (a * eluGrad + (1 - a) * (1 - tj * tj));
                    gal += dj * (er[j] - tj);
                    gs += dp * ur[j];
                    float duj = dp * s;
                    dur[j] = duj;
                    gbl[j] += duj;
                }
            }
            gsr[l] += gs;
            galpha += gal;
            float[][] in = l == 0 ? h0 : h[l - 1];
            int nin = layout.layerInputWidth(l);
            Gemm.mulTransAdd(in, n, nin, du, width, gw[l]);
            // dIn = du · Wᵀ / sqrt(nin)
            for (int r = 0; r < n; r++) {
                Arrays.fill(dIn[r], 0, nin, 0f);
            }
            Gemm.mulAdd(du, n, width, wt[l], nin, dIn);
            float inv = (float) (1 / Math.sqrt(nin));
            float[][] target = l == 0 ? dIn : dh;
            for (int r = 0; r < n; r++) {
                float[] src = dIn[r];
                float[] dst = target[r];
                for (int i = 0; i < nin; i++) {
                    dst[i] = src[i] * inv;
                }
            }
        }
        //-- features (dIn now holds dL/dh⁰)
        for (int r = 0; r < n; r++) {
            float[] dr = dIn[r];
            float[] hr = h0[r];
            float[] zr = z[r];
            for (int g = 0; g < groupScale.length; g++) {
                float sg = groupScale[g];
                int start = layout.groupStart(g);
                int len = layout.groupLength(g);
                double acc = 0;
                for (int i = 0; i < len; i++) {
                    acc += dr[start + i] * hr[start + i];
                }
                gGroup[g] += acc / sg;
                switch (layout.groupKind(g)) {
                    case FeatureLayout.GROUP_LINEAR:
                        for (int i = 0; i < d; i++) {
                            ga[i] -= (double) dr[start + i] * sg * zr[i];
                        }
                        break;
                    case FeatureLayout.GROUP_FOURIER: {
                        int col = layout.groupColumn(g);
                        int k = layout.fourierDegree(col);
                        double dz = 0;
                        double freq = TWO_PI;
                        for (int deg = 0; deg < k; deg++) {
                            // h = sg·cos(φ)/(deg+1), dh/dz = -freq·(sin-feature); and vice versa
                            dz += freq * (-dr[start + deg] * hr[start + k + deg]
                                    + dr[start + k + deg] * hr[start + deg]);
                            freq *= 2;
                        }
                        ga[col] -= dz * zr[col];
                        break;
                    }
                    case FeatureLayout.GROUP_SEASONAL:
                        break;
                    default:
                        for (int m = 0; m < layout.interactionCount(); m++) {
                            int ia = layout.interactionA(m);
                            int ib = layout.interactionB(m);
                            double dm = (double) dr[start + m] * sg;
                            ga[ia] -= dm * zr[ib] * zr[ia];
                            ga[ib] -= dm * zr[ia] * zr[ib];
                        }
                        break;
                }
            }
        }
    }

    private void clearGradients() {
        for (int l = 0; l < depth; l++) {
            for (float[] row : gw[l]) {
                Arrays.fill(row, 0f);
            }
            Arrays.fill(gb[l], 0);
        }
        Arrays.fill(gwout, 0);
        Arrays.fill(gGroup, 0);
        Arrays.fill(ga, 0);
        Arrays.fill(gsr, 0);
        gso = 0;
        gbout = 0;
        galpha = 0;
        Arrays.fill(gLik, 0);
    }

    private void flushGradients(float[] grad) {
        grad[FeatureLayout.NU] += (float) gLik[ObservationModel.G_NU];
        grad[FeatureLayout.KAPPA] += (float) gLik[ObservationModel.G_KAPPA];
        grad[FeatureLayout.ZETA] += (float) gLik[ObservationModel.G_ZETA];
        for (int i = 0; i < d; i++) {
            grad[layout.aOffset() + i] += (float) ga[i];
        }
        for (int g = 0; g < groupScale.length; g++) {
            int idx = layout.gammaOffset() + g;
            grad[idx] += (float) (gGroup[g] * sigmoid(theta[idx]));
        }
        double al = alpha;
        grad[layout.lambdaOffset()] += (float) (galpha * al * (1 - al));
        for (int l = 0; l < depth; l++) {
            int nin = layout.layerInputWidth(l);
            float inv = (float) (1 / Math.sqrt(nin));
            int off = layout.weightOffset(l);
            for (int i = 0; i < nin; i++) {
                float[] gr = gw[l][i];
                int base = off + i * width;
                for (int j = 0; j < width; j++) {
                    grad[base + j] += gr[j] * inv;
                }
            }
            int bo = layout.biasOffset(l);
            for (int j = 0; j < width; j++) {
                grad[bo + j] += (float) gb[l][j];
            }
            // ρ_l: Σ dL/dp · u · softplus'(ρ_l)
            int ro = layout.rhoOffset(l);
            grad[ro] += (float) (gsr[l] * sigmoid(theta[ro]));
        }
        for (int j = 0; j < width; j++) {
            grad[layout.outWeightOffset() + j] += (float) gwout[j];
        }
        grad[layout.outBiasOffset()] += (float) gbout;
        int oro = layout.outRhoOffset();
        grad[oro] += (float) (gso * sigmoid(theta[oro]));
    }
}
