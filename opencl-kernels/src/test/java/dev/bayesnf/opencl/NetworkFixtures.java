package dev.bayesnf.opencl;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded layouts, tables and parameters shared by the parity tests. */
final class NetworkFixtures {
    private NetworkFixtures() {}

    /** Every feature group kind: linear, Fourier on two columns, seasonal, interactions; 2 layers. */
    static FeatureLayout layout(int width, int depth) {
        return Fixtures.layout(width, depth);
    }

    /** Like {@link #layout} without seasonal features (a model fitted without --seasonality). */
    static FeatureLayout layoutWithoutSeasons(int width, int depth) {
        return new FeatureLayout(3, true, 40, new int[] {2, 3, 0}, new double[0], new int[0],
                new int[][] {{0, 1}, {2, 2}}, width, depth);
    }

    static TrainingData data(FeatureLayout layout, ObservationModel lik, int n, long seed) {
        return Fixtures.trainingData(layout, lik, n, seed);
    }

    /** Random parameters of the scale the initialiser produces (weights ~ N(0, 0.5²)). */
    static float[] params(FeatureLayout l, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[l.parameterCount()];
        for (int e = 0; e < s.length; e++) {
            s[e] = (float) (0.5 * r.nextGaussian());
        }
        s[FeatureLayout.NU] = 0.7f;
        return s;
    }

    /** Parameter groups of the layout as [from, to) with a name. */
    static List<Object[]> groups(FeatureLayout l) {
        List<Object[]> g = new ArrayList<>();
        g.add(new Object[] {"nu", 0, 1});
        g.add(new Object[] {"kappa", 1, 2});
        g.add(new Object[] {"zeta", 2, 3});
        g.add(new Object[] {"a", l.aOffset(), l.aOffset() + l.columns()});
        g.add(new Object[] {"gamma", l.gammaOffset(), l.gammaOffset() + l.groupCount()});
        g.add(new Object[] {"lambda", l.lambdaOffset(), l.lambdaOffset() + 1});
        for (int k = 0; k < l.depth(); k++) {
            g.add(new Object[] {"W" + k, l.weightOffset(k), l.biasOffset(k)});
            g.add(new Object[] {"b" + k, l.biasOffset(k), l.rhoOffset(k)});
            g.add(new Object[] {"rho" + k, l.rhoOffset(k), l.rhoOffset(k) + 1});
        }
        g.add(new Object[] {"Wout", l.outWeightOffset(), l.outBiasOffset()});
        g.add(new Object[] {"bout", l.outBiasOffset(), l.outRhoOffset()});
        g.add(new Object[] {"rhoOut", l.outRhoOffset(), l.outRhoOffset() + 1});
        return g;
    }
}
