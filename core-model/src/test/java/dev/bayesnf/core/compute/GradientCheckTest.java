package dev.bayesnf.core.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-derived reverse mode against central finite differences of the loss, one parameter
 * group at a time (directional derivatives along random directions inside each group), for every
 * likelihood, the MAP, MLE and VI losses.
 */
final class GradientCheckTest {

    static FeatureLayout layout() {
        return Fixtures.layout(6, 2);
    }

    static TrainingData data(FeatureLayout layout, ObservationModel lik, int n, long seed) {
        return Fixtures.trainingData(layout, lik, n, seed);
    }

    /** Parameter groups as [from, to) ranges. */
    static List<int[]> groups(FeatureLayout l) {
        List<int[]> g = new ArrayList<>();
        g.add(new int[] {0, 1});
        g.add(new int[] {1, 2});
        g.add(new int[] {2, 3});
        g.add(new int[] {l.aOffset(), l.aOffset() + l.columns()});
        g.add(new int[] {l.gammaOffset(), l.gammaOffset() + l.groupCount()});
        g.add(new int[] {l.lambdaOffset(), l.lambdaOffset() + 1});
        for (int k = 0; k < l.depth(); k++) {
            g.add(new int[] {l.weightOffset(k), l.biasOffset(k)});
            g.add(new int[] {l.biasOffset(k), l.rhoOffset(k)});
            g.add(new int[] {l.rhoOffset(k), l.rhoOffset(k) + 1});
        }
        g.add(new int[] {l.outWeightOffset(), l.outBiasOffset()});
        g.add(new int[] {l.outBiasOffset(), l.outRhoOffset()});
        g.add(new int[] {l.outRhoOffset(), l.outRhoOffset() + 1});
        return g;
    }

    static float[] randomState(FeatureLayout l, int q, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[q];
        for (int e = 0; e < q; e++) {
            s[e] = (float) (0.5 * r.nextGaussian());
        }
        s[FeatureLayout.NU] = 0.7f;
        if (q > l.parameterCount()) {
            for (int e = l.parameterCount(); e < q; e++) {
                s[e] = (float) (-1.0 + 0.3 * r.nextGaussian());
            }
        }
        return s;
    }

    private static void check(ObservationModel lik, boolean vi, double priorWeight) {
        FeatureLayout layout = layout();
        int n = 37;
        TrainingData data = data(layout, lik, n, 11);
        Objective obj = new Objective(lik, vi, priorWeight, 0.5, 3, 0.01, 100);
        int q = obj.stateSize(layout.parameterCount());
        int[][] rows = {{0, 3, 5, 7, 8, 9, 11, 12, 13, 20, 21, 22, 30, 31, 36}};
        float[] state = randomState(layout, q, 5);
        try (TrainingEngine engine = new JavaBackend().openTraining(layout, obj, data, 1, 1)) {
            engine.setState(new float[][] {state});
            float[] loss = new float[1];
            float[][] grad = new float[1][q];
            engine.lossAndGradient(rows, 99, loss, grad);
            List<int[]> groups = groups(layout);
            if (vi) {
                int p = layout.parameterCount();
                List<int[]> more = new ArrayList<>();
                for (int[] g : groups) {
                    more.add(new int[] {g[0] + p, g[1] + p});
                }
                groups.addAll(more);
            }
            SplittableRandom r = new SplittableRandom(3);
            for (int[] g : groups) {
                double[] dir = new double[q];
                double norm = 0;
                for (int e = g[0]; e < g[1]; e++) {
                    dir[e] = r.nextGaussian();
                    norm += dir[e] * dir[e];
                }
                norm = Math.sqrt(norm);
                double analytic = 0;
                for (int e = g[0]; e < g[1]; e++) {
                    dir[e] /= norm;
                    analytic += dir[e] * grad[0][e];
                }
                double h = 2e-3;
                double[] f = new double[2];
                for (int sgn = 0; sgn < 2; sgn++) {
                    float[] st = state.clone();
                    for (int e = g[0]; e < g[1]; e++) {
                        st[e] = (float) (state[e] + (sgn == 0 ? h : -h) * dir[e]);
                    }
                    engine.setState(new float[][] {st});
                    float[] l2 = new float[1];
                    engine.lossAndGradient(rows, 99, l2, new float[1][q]);
                    f[sgn] = l2[0];
                }
                double numeric = (f[0] - f[1]) / (2 * h);
                double tol = 2e-2 * Math.max(1, Math.abs(numeric)) + 5e-3 * Math.abs(loss[0]) / 100;
                assertEquals(numeric, analytic, tol, lik + (vi ? " VI" : " point") + " group ["
                        + g[0] + "," + g[1] + ") loss " + loss[0]);
            }
            assertTrue(Float.isFinite(loss[0]));
        }
    }

    @ParameterizedTest
    @EnumSource(ObservationModel.class)
    void testMapGradientMatchesFiniteDifferences(ObservationModel lik) {
        check(lik, false, 1);
    }

    @ParameterizedTest
    @EnumSource(ObservationModel.class)
    void testMleGradientMatchesFiniteDifferences(ObservationModel lik) {
        check(lik, false, 0);
    }

    @ParameterizedTest
    @EnumSource(ObservationModel.class)
    void testViGradientMatchesFiniteDifferences(ObservationModel lik) {
        check(lik, true, 1);
    }
}
