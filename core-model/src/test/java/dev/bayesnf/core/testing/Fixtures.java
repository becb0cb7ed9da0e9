package dev.bayesnf.core.testing;

import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.TrainingData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded data shared by the tests of core-model and of the backends (opencl-kernels reads them
 * from core-model's test jar), so that a parity test and the test it mirrors use the same numbers.
 */
public final class Fixtures {
    private Fixtures() {}

    /**
     * A space-time table (t in 0..19, lat, lon) whose target y has a period-10 season, a
     * latitude trend and noise of 0.1.
     */
    public static DataTable syntheticTable(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] t = new double[n];
        double[] lat = new double[n];
        double[] lon = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 20;
            lat[i] = 40 + 3 * r.nextDouble();
            lon[i] = -5 + 2 * r.nextDouble();
            y[i] = Math.sin(2 * Math.PI * t[i] / 10) + 0.5 * (lat[i] - 41.5) + 0.1 * r.nextGaussian();
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", t);
        cols.put("lat", lat);
        cols.put("lon", lon);
        cols.put("y", y);
        return DataTable.ofNumbers("synthetic", cols);
    }

    /** Every feature group kind: linear, Fourier on two columns, seasonal, interactions. */
    public static FeatureLayout layout(int width, int depth) {
        return new FeatureLayout(3, true, 40, new int[] {2, 3, 0}, new double[] {1 / 7.0, 2 / 7.0},
                new int[] {1, 2}, new int[][] {{0, 1}, {2, 2}}, width, depth);
    }

    /** Network inputs of {@code n} seeded rows for {@code layout}, targets suited to {@code lik}. */
    public static TrainingData trainingData(FeatureLayout layout, ObservationModel lik, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][3];
        float[][] s = new float[n][layout.seasonalWidth()];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextInt(41);
            x[i][1] = (float) r.nextGaussian();
            x[i][2] = (float) r.nextGaussian();
            layout.seasonalFeatures(x[i][0], s[i], 0);
            y[i] = lik.isCount() ? (i % 4 == 0 ? 0 : r.nextInt(12)) : (float) (3 * r.nextGaussian() + 1);
        }
        return new TrainingData(x, s, y);
    }
}
