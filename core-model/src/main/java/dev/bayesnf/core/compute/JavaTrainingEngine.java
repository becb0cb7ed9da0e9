package dev.bayesnf.core.compute;

import static dev.bayesnf.core.NeuralFieldMath.HALF_LOG_TWO_PI;
import static dev.bayesnf.core.NeuralFieldMath.logisticLogDensity;
import static dev.bayesnf.core.NeuralFieldMath.logisticLogDensityGrad;
import static dev.bayesnf.core.NeuralFieldMath.sigmoid;
import static dev.bayesnf.core.NeuralFieldMath.softplus;

import dev.bayesnf.core.FeatureLayout;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The plain-Java {@link TrainingEngine}. Work is split into tasks (member k, row chunk c): with
 * at least as many members as threads each member is one task, otherwise each member's batch is
 * cut into ceil(threads / K) chunks. Every task writes its own partial gradient and partial
 * loss, and partials are summed in chunk order, so results do not depend on scheduling.
 */
final class JavaTrainingEngine implements TrainingEngine {
    private final FeatureLayout layout;
    private final Objective objective;
    private final TrainingData data;
    private final int members;
    private final int p;
    private final int q;
    private final int chunks;
    private final float[][] state;
    private final float[][] m1;
    private final float[][] m2;
    private final float[][][] partial;
    private final double[][] partialLoss;
    private final float[][] grad;
    private int t;
    private final ExecutorService pool;
    private final ConcurrentLinkedQueue<Scratch> scratch = new ConcurrentLinkedQueue<>();

    /** A worker's workspace plus the VI buffers. */
    private static final class Scratch {
        final NetworkWorkspace ws;
        final float[] theta;
        final float[] eps;
        final float[] sigma;
        final float[] g;

        Scratch(FeatureLayout layout, boolean variational) {
            ws = new NetworkWorkspace(layout);
            int p = layout.parameterCount();
            theta = variational ? new float[p] : null;
            eps = variational ? new float[p] : null;
            sigma = variational ? new float[p] : null;
            g = variational ? new float[p] : null;
        }
    }

    JavaTrainingEngine(FeatureLayout layout, Objective objective, TrainingData data, int members,
            int threads) {
        this.layout = layout;
        this.objective = objective;
        this.data = data;
        this.members = members;
        this.p = layout.parameterCount();
        this.q = objective.stateSize(p);
        this.chunks = members >= threads ? 1 : (threads + members - 1) / members;
        state = new float[members][q];
        m1 = new float[members][q];
        m2 = new float[members][q];
        partial = new float[members][chunks][q];
        partialLoss = new double[members][chunks];
        grad = new float[members][q];
        pool = threads > 1 ? Executors.newFixedThreadPool(threads, JavaBackend.daemonFactory()) : null;
    }

    @Override
    public int members() {
        return members;
    }

    @Override
    public void setState(float[][] newState) {
        if (newState.length != members) {
            throw new IllegalArgumentException("expected " + members + " members, got " + newState.length);
        }
        for (int k = 0; k < members; k++) {
            if (newState[k].length != q) {
                throw new IllegalArgumentException("expected state of " + q + " values, got " + newState[k].length);
            }
            System.arraycopy(newState[k], 0, state[k], 0, q);
            Arrays.fill(m1[k], 0f);
            Arrays.fill(m2[k], 0f);
        }
        t = 0;
    }

    @Override
    public float[][] state() {
        float[][] copy = new float[members][];
        for (int k = 0; k < members; k++) {
            copy[k] = state[k].clone();
        }
        return copy;
    }

    @Override
    public void step(int[][] rows, long noiseSeed, float[] lossOut) {
        compute(rows, noiseSeed, lossOut, grad);
        t++;
        double lr = objective.learningRate();
        double c1 = 1 - Math.pow(Objective.BETA1, t);
        double c2 = 1 - Math.pow(Objective.BETA2, t);
        run(members, k -> {
            float[] th = state[k];
            float[] g = grad[k];
            float[] a = m1[k];
            float[] b = m2[k];
            for (int e = 0; e < q; e++) {
                float ge = g[e];
                a[e] = (float) (Objective.BETA1 * a[e] + (1 - Objective.BETA1) * ge);
                b[e] = (float) (Objective.BETA2 * b[e] + (1 - Objective.BETA2) * ge * ge);
                double mh = a[e] / c1;
                double vh = b[e] / c2;
                th[e] = (float) (th[e] - lr * mh / (Math.sqrt(vh) + Objective.EPSILON));
            }
        });
    }

    @Override
    public void lossAndGradient(int[][] rows, long noiseSeed, float[] lossOut, float[][] gradOut) {
        compute(rows, noiseSeed, lossOut, gradOut);
    }

    private void compute(int[][] rows, long noiseSeed, float[] lossOut, float[][] gradOut) {
        if (rows.length != 1 && rows.length != members) {
            throw new IllegalArgumentException("batches: expected 1 or " + members + ", got " + rows.length);
        }
        run(members * chunks, task -> {
            int k = task / chunks;
            int c = task % chunks;
            int[] r = rows.length == 1 ? rows[0] : rows[k];
            int from = (int) ((long) r.length * c / chunks);
            int to = (int) ((long) r.length * (c + 1) / chunks);
            Scratch s = scratch.poll();
            if (s == null) {
                s = new Scratch(layout, objective.variational());
            }
            try {
                float[] out = partial[k][c];
                Arrays.fill(out, 0f);
                double scale = (double) objective.datasetRows() / r.length;
                if (objective.variational()) {
                    partialLoss[k][c] = variationalTask(s, k, c == 0, r, from, to,
                            scale / objective.klWeight(), noiseSeed, out);
                } else {
                    partialLoss[k][c] = pointTask(s, k, c == 0, r, from, to, scale, out);
                }
            } finally {
                scratch.add(s);
            }
        });
        for (int k = 0; k < members; k++) {
            double loss = 0;
            float[] g = gradOut[k];
            Arrays.fill(g, 0f);
            for (int c = 0; c < chunks; c++) {
                loss += partialLoss[k][c];
                float[] pc = partial[k][c];
                for (int e = 0; e < q; e++) {
                    g[e] += pc[e];
                }
            }
            if (objective.variational()) {
                // dσ → dρ: σ = 1e-4 + softplus(ρ)
                float[] st = state[k];
                for (int e = 0; e < p; e++) {
                    g[p + e] = (float) (g[p + e] * sigmoid(st[p + e]));
                }
            }
            lossOut[k] = (float) loss;
        }
    }

    private double pointTask(Scratch s, int k, boolean withPrior, int[] rows, int from, int to,
            double scale, float[] out) {
        float[] theta = state[k];
        s.ws.load(theta);
        double ll = s.ws.accumulate(data, objective.likelihood(), rows, from, to, scale, out);
        double loss = -scale * ll;
        double w = objective.priorWeight();
        if (withPrior && w != 0) {
            double lp = 0;
            for (int e = 0; e < p; e++) {
                double loc = layout.priorLocation(e);
                lp += logisticLogDensity(theta[e], loc);
                out[e] -= (float) (w * logisticLogDensityGrad(theta[e], loc));
            }
            loss -= w * lp;
        }
        return loss;
    }

    private double variationalTask(Scratch s, int k, boolean withPrior, int[] rows, int from, int to,
            double scale, long noiseSeed, float[] out) {
        float[] st = state[k];
        int samples = objective.mcSamples();
        float[] sigma = s.sigma;
        for (int e = 0; e < p; e++) {
            sigma[e] = (float) (Objective.SCALE_FLOOR + softplus(st[p + e]));
        }
        double loss = 0;
        double inv = 1.0 / samples;
        for (int smp = 0; smp < samples; smp++) {
            long key = CounterNormal.key(noiseSeed, k, smp);
            float[] theta = s.theta;
            float[] eps = s.eps;
            for (int e = 0; e < p; e++) {
                eps[e] = (float) CounterNormal.normal(key, e);
                theta[e] = st[e] + sigma[e] * eps[e];
            }
            float[] g = s.g;
            Arrays.fill(g, 0f);
            s.ws.load(theta);
            double ll = s.ws.accumulate(data, objective.likelihood(), rows, from, to, scale, g);
            double lossS = -scale * ll;
            if (withPrior) {
                double lp = 0;
                double lq = 0;
                for (int e = 0; e < p; e++) {
                    double loc = layout.priorLocation(e);
                    lp += logisticLogDensity(theta[e], loc);
                    g[e] -= (float) logisticLogDensityGrad(theta[e], loc);
                    lq += -0.5 * eps[e] * eps[e] - Math.log(sigma[e]) - HALF_LOG_TWO_PI;
                }
                lossS += lq - lp;
            }
            for (int e = 0; e < p; e++) {
                out[e] += (float) (g[e] * inv);
                out[p + e] += (float) (g[e] * eps[e] * inv);
            }
            loss += lossS * inv;
        }
        if (withPrior) {
            // gradient of E[log q] through σ: -1/σ (the μ part cancels exactly)
            for (int e = 0; e < p; e++) {
                out[p + e] -= 1 / sigma[e];
            }
        }
        return loss;
    }

    private void run(int count, JavaBackend.IndexedTask body) {
        if (pool == null || count <= 1) {
            for (int i = 0; i < count; i++) {
                body.run(i);
            }
        } else {
            JavaBackend.runAll(pool, count, body);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
