package dev.bayesnf.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.JavaBackend;
import dev.bayesnf.core.compute.Objective;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.compute.TrainingEngine;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL training step against the plain-Java engine: loss, the gradient of every parameter
 * group, and one Adam step, for MAP and MLE with the NORMAL likelihood, MAP with NB and ZINB, VI
 * with all three, per-member and shared batches, and a batch larger than one device chunk.
 *
 * <p>Tolerances. Both engines compute in float32; they differ in summation order (the Java engine
 * sums row blocks of 64 and some scalar gradients in double, the kernels sum tiles of 16 and rows
 * in float) and in exp/log/tanh/cos (OpenCL float functions, a few ulp, against Java's double ones
 * rounded once). A sum of n float terms carries a relative error of order sqrt(n)·6e-8 of the sum
 * of magnitudes; with n ≤ 3·10³ rows and cancellation between rows this is at most ~1e-5 of a
 * gradient group's norm. The tests require
 * <ul>
 *   <li>loss: relative difference ≤ 1e-5;
 *   <li>each group: ‖g_cl - g_java‖ ≤ 1e-4 ‖g_java‖ + 1e-5 (the absolute part covers groups whose
 *       gradient is near zero, e.g. κ and ζ under MLE, exactly 0 in both);
 *   <li>Adam step: |θ_cl - θ_java| ≤ 1e-3·lr + 1e-6·|θ|. Adam's first step moves each element
 *       by lr·g/(|g| + ε) = ±lr, so a gradient sign flip on an element with |g| ~ 1e-8 could
 *       differ by 2·lr; with these seeded inputs no element is that small, and the measured
 *       difference is printed.
 * </ul>
 * The count likelihoods evaluate log Γ and ψ in float on the device (Lanczos and the asymptotic
 * series) against double on the host; log Γ(1 + y) is computed on the host for both. VI adds
 * log q, a float sum over the P parameters (relative error ~sqrt(P)·6e-8 ≈ 4e-6 here), and draws
 * the same counter-based noise on both backends, in double on the host for Java and in float on
 * the device for OpenCL (equal to a few 1e-7 relative), so the same bounds apply to the (μ, ρ)
 * gradient groups.
 * Any indexing or formula error moves a group by order 1, far outside these bounds.
 */
final class TrainingParityTest {
    private static final int N = 700;

    private static float[][] states(FeatureLayout layout, int k) {
        float[][] s = new float[k][];
        for (int m = 0; m < k; m++) {
            s[m] = NetworkFixtures.params(layout, 40 + m);
        }
        return s;
    }

    private static int[][] batches(int k, int b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] rows = new int[k][b];
        for (int m = 0; m < k; m++) {
            int[] perm = new int[N];
            for (int i = 0; i < N; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < b; i++) {
                int j = i + r.nextInt(N - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            System.arraycopy(perm, 0, rows[m], 0, b);
        }
        return rows;
    }

    /** VI surrogate states: μ as {@link #states}, ρ around -2 (σ ≈ 0.13). */
    private static float[][] viStates(FeatureLayout layout, int k) {
        int p = layout.parameterCount();
        float[][] mu = states(layout, k);
        float[][] s = new float[k][2 * p];
        for (int m = 0; m < k; m++) {
            SplittableRandom r = new SplittableRandom(90 + m);
            System.arraycopy(mu[m], 0, s[m], 0, p);
            for (int e = 0; e < p; e++) {
                s[m][p + e] = (float) (-2 + 0.3 * r.nextGaussian());
            }
        }
        return s;
    }

    /** Compares loss and every gradient group; returns the worst relative group difference. */
    static double compareGradients(OpenClBackend cl, FeatureLayout layout, Objective obj, TrainingData data,
            float[][] state, int[][] rows, String what) {
        int k = state.length;
        int q = obj.stateSize(layout.parameterCount());
        float[] lossJ = new float[k];
        float[][] gradJ = new float[k][q];
        float[] lossC = new float[k];
        float[][] gradC = new float[k][q];
        try (TrainingEngine java = new JavaBackend().openTraining(layout, obj, data, k, 1);
                TrainingEngine ocl = cl.openTraining(layout, obj, data, k, 0)) {
            java.setState(state);
            ocl.setState(state);
            java.lossAndGradient(rows, 17, lossJ, gradJ);
            ocl.lossAndGradient(rows, 17, lossC, gradC);
            assertTrue(((OpenClTrainingEngine) ocl).runningOpenCl(), "kernel ran in Java thread pool, not OpenCL");
        }
        double worst = 0;
        StringBuilder report = new StringBuilder(what);
        for (int m = 0; m < k; m++) {
            assertEquals(lossJ[m], lossC[m], 1e-5 * Math.abs(lossJ[m]) + 1e-5, what + " loss of member " + m);
            report.append(String.format(Locale.ROOT, "%n  member %d loss java %.7g opencl %.7g (rel %.2g)", m,
                    lossJ[m], lossC[m], Math.abs(lossJ[m] - lossC[m]) / Math.abs(lossJ[m])));
            int p = layout.parameterCount();
            List<Object[]> groups = NetworkFixtures.groups(layout);
            for (int gi = 0; gi < q / p * groups.size(); gi++) {
                Object[] g = groups.get(gi % groups.size());
                int off = gi / groups.size() * p;
                String name = (q == p ? "" : off == 0 ? "mu." : "rho.") + g[0];
                int from = (Integer) g[1] + off;
                int to = (Integer) g[2] + off;
                double diff = 0;
                double norm = 0;
                for (int e = from; e < to; e++) {
                    diff += Math.pow(gradC[m][e] - gradJ[m][e], 2);
                    norm += Math.pow(gradJ[m][e], 2);
                }
                diff = Math.sqrt(diff);
                norm = Math.sqrt(norm);
                double rel = diff / Math.max(norm, 1e-30);
                if (norm > 1e-3) {
                    worst = Math.max(worst, rel);
                }
                if (m == 0) {
                    report.append(String.format(Locale.ROOT, " %s %.1e", name, rel));
                }
                assertTrue(diff <= 1e-4 * norm + 1e-5, what + " member " + m + " group " + name
                        + ": |diff| " + diff + " vs |grad| " + norm);
            }
        }
        System.out.println(report + String.format(Locale.ROOT, "%n  worst group relative difference %.2g", worst));
        return worst;
    }

    @Test
    void testMapGradientsMatchJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(32, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 3);
        Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, 0.01, N);
        compareGradients(cl, layout, obj, data, states(layout, 3), batches(3, 200, 1), "MAP per-member batches");
    }

    /** A layout without seasonal features: no seasonal table on the device at all. */
    @Test
    void testLayoutWithoutSeasonsMatchesJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layoutWithoutSeasons(16, 2);
        assertEquals(0, layout.seasonalWidth());
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 4);
        Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, 0.01, N);
        compareGradients(cl, layout, obj, data, states(layout, 2), batches(2, 100, 2), "MAP without seasons");
    }

    /**
     * The device takes each batch in ascending row order ({@code DeviceNetwork#putSorted}); a
     * batch that repeats rows (drawn with replacement) must keep every repeat.
     */
    @Test
    void testBatchesWithRepeatedRowsMatchJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 23);
        Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, 0.01, N);
        SplittableRandom r = new SplittableRandom(24);
        int[][] rows = new int[2][150];
        for (int[] batch : rows) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = r.nextInt(40);
            }
        }
        compareGradients(cl, layout, obj, data, states(layout, 2), rows, "MAP, rows drawn with replacement");
    }

    @Test
    void testMleGradientsMatchJavaBackendWithSharedBatch() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(24, 3);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 4);
        Objective obj = new Objective(ObservationModel.NORMAL, false, 0, 1, 1, 0.01, N);
        compareGradients(cl, layout, obj, data, states(layout, 2), batches(1, 333, 2), "MLE shared batch");
    }

    @Test
    void testFullBatchAcrossSeveralChunksMatchesJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 1);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 5);
        Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, 0.01, N);
        int[][] all = batches(2, N, 3);
        float[][] state = states(layout, 2);
        // the reference on the default chunking (one chunk) ...
        compareGradients(cl, layout, obj, data, state, all, "MAP full batch");
        // ... and the device alone with chunks of 64 rows against one chunk
        // per chunk row: h0, u and h per layer, dh and du, dL/dh0 (padded to 8 columns), go, and
        // (CPU form, the form on a CPU driver) the back-activation's partial sums, 4 W per 128 rows
        long perRow = layout.inputWidth() + 2L * layout.width() + 2L * layout.width()
                + ((layout.inputWidth() + 7) & ~7) + 1
                + (OpenClDevices.isGpu(cl.requireDevice()) ? 0 : (4L * layout.width() + 127) / 128);
        float[][] one;
        float[][] many;
        float[] lossOne;
        float[] lossMany;
        try (DeviceNetwork a = new DeviceNetwork(cl.requireDevice(), layout, 2, ObservationModel.NORMAL, 0, data.x(),
                data.seasonal(), data.y(), DeviceNetwork.DEFAULT_MAX_ACTIVATION_FLOATS);
                DeviceNetwork b = new DeviceNetwork(cl.requireDevice(), layout, 2, ObservationModel.NORMAL, 0, data.x(),
                        data.seasonal(), data.y(), 2 * 64 * perRow)) {
            assertEquals(64, b.chunkRows());
            for (DeviceNetwork net : new DeviceNetwork[] {a, b}) {
                net.putState(state, true);
                net.putRows(all);
                net.lossAndGradient(N, 1f, 1f);
            }
            one = a.gradients();
            many = b.gradients();
            lossOne = a.losses();
            lossMany = b.losses();
        }
        for (int m = 0; m < 2; m++) {
            assertEquals(lossOne[m], lossMany[m], 1e-5 * Math.abs(lossOne[m]));
            for (int e = 0; e < layout.parameterCount(); e++) {
                assertEquals(one[m][e], many[m][e], 1e-4 * Math.abs(one[m][e]) + 1e-4, "element " + e);
            }
        }
    }

    /**
     * Both forms of the passes (GPU: element per work-item, tiled products; CPU: row per work-item)
     * against the Java engine, whatever the device, so that CI on a CPU driver tests both.
     */
    @Test
    void testBothKernelFormsMatchJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        for (String kind : new String[] {"gpu", "cpu"}) {
            withForm(kind, () -> {
                FeatureLayout layout = NetworkFixtures.layout(40, 2);
                TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 8);
                Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, 0.01, N);
                compareGradients(cl, layout, obj, data, states(layout, 2), batches(2, 301, 9), "MAP, " + kind + " form");
            });
        }
    }

    /** Runs body with the kernel form ({@link DeviceNetwork#FORM_PROPERTY}) set to kind, then restores it. */
    private static void withForm(String kind, Runnable body) {
        String old = System.getProperty(DeviceNetwork.FORM_PROPERTY);
        System.setProperty(DeviceNetwork.FORM_PROPERTY, kind);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(DeviceNetwork.FORM_PROPERTY);
            } else {
                System.setProperty(DeviceNetwork.FORM_PROPERTY, old);
            }
        }
    }

    /**
     * Hidden layers wider than one private column block of the CPU-form product
     * ({@link CpuNetworkKernel#BP_N}): the products and their epilogues (bias and activation, the
     * back-activation with its partial sums) then run over two column chunks; three layers, so that
     * two products end with a back-activation.
     */
    @Test
    void testLayersWiderThanOneColumnBlockMatchJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        withForm("cpu", () -> {
            FeatureLayout layout = NetworkFixtures.layout(CpuNetworkKernel.BP_N + 44, 3);
            TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 21);
            Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, 0.01, N);
            compareGradients(cl, layout, obj, data, states(layout, 2), batches(2, 150, 22), "MAP, width 300");
        });
    }

    @Test
    void testCountLikelihoodGradientsMatchJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(24, 2);
        for (ObservationModel lik : new ObservationModel[] {ObservationModel.NB, ObservationModel.ZINB}) {
            TrainingData data = NetworkFixtures.data(layout, lik, N, 11);
            Objective obj = new Objective(lik, false, 1, 1, 1, 0.01, N);
            compareGradients(cl, layout, obj, data, states(layout, 3), batches(3, 256, 5), "MAP " + lik);
        }
    }

    @Test
    void testVariationalGradientsMatchJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(24, 2);
        for (ObservationModel lik : ObservationModel.values()) {
            TrainingData data = NetworkFixtures.data(layout, lik, N, 13);
            Objective obj = new Objective(lik, true, 1, 0.1, 3, 0.01, N);
            compareGradients(cl, layout, obj, data, viStates(layout, 2), batches(1, 200, 3), "VI " + lik);
        }
    }

    @Test
    void testVariationalAdamStepMatchesJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.ZINB, N, 6);
        double lr = 0.01;
        Objective obj = new Objective(ObservationModel.ZINB, true, 1, 0.1, 2, lr, N);
        adamStep(cl, layout, data, obj, viStates(layout, 2), lr);
    }

    /** One Adam step on both engines from the same state; the states must agree (see the class comment). */
    private static void adamStep(OpenClBackend cl, FeatureLayout layout, TrainingData data, Objective obj,
            float[][] state, double lr) {
        int k = state.length;
        int[][] rows = batches(k, 256, 7);
        float[] lossJ = new float[k];
        float[] lossC = new float[k];
        float[][] after;
        float[][] expected;
        try (TrainingEngine java = new JavaBackend().openTraining(layout, obj, data, k, 1);
                TrainingEngine ocl = cl.openTraining(layout, obj, data, k, 0)) {
            java.setState(state);
            ocl.setState(state);
            java.step(rows, 3, lossJ);
            ocl.step(rows, 3, lossC);
            expected = java.state();
            after = ocl.state();
        }
        double worst = 0;
        for (int m = 0; m < k; m++) {
            assertEquals(lossJ[m], lossC[m], 1e-5 * Math.abs(lossJ[m]));
            for (int e = 0; e < after[m].length; e++) {
                double d = Math.abs(after[m][e] - expected[m][e]);
                worst = Math.max(worst, d);
                assertEquals(expected[m][e], after[m][e], 1e-3 * lr + 1e-6 * Math.abs(expected[m][e]),
                        "member " + m + " element " + e);
            }
        }
        System.out.printf(Locale.ROOT, "Adam step (%s%s): worst |state_cl - state_java| = %.2g (lr %.2g)%n",
                obj.variational() ? "VI " : "", obj.likelihood(), worst, lr);
    }

    @Test
    void testAdamStepMatchesJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(32, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, N, 6);
        double lr = 0.01;
        Objective obj = new Objective(ObservationModel.NORMAL, false, 1, 1, 1, lr, N);
        adamStep(cl, layout, data, obj, states(layout, 2), lr);
    }
}
