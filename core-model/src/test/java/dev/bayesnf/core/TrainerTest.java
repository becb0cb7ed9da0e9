package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.compute.JavaBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Fitting: determinism, cancellation, degenerate data, input errors and a learning sanity check. */
final class TrainerTest {
    private static final JavaBackend BACKEND = new JavaBackend();

    private static ModelSpec spec() {
        return ModelFileTest.spec();
    }

    private static TrainConfig small(Estimator e) {
        return TrainConfig.defaults(e).withEnsemble(2).withEpochs(3).withThreads(1);
    }

    private static BayesNFModel fit(DataTable t, ModelSpec s, TrainConfig c) {
        return new BayesNFTrainer(BACKEND).fit(t, s, c, null);
    }

    private static double[] predictMeans(BayesNFModel m, DataTable t) {
        Prediction p = new BayesNFPredictor(BACKEND, 1).predict(m, t, new double[] {0.1, 0.5, 0.9});
        for (double[] q : p.quantiles()) {
            for (double v : q) {
                assertTrue(Double.isFinite(v), "quantile " + v);
            }
        }
        return p.mean();
    }

    private static void assertAllFinite(double[] v) {
        assertTrue(v.length > 0);
        for (double x : v) {
            assertTrue(Double.isFinite(x), "non-finite prediction " + x);
        }
    }

    private static void assertAllFinite(float[][] v) {
        for (float[] row : v) {
            for (float x : row) {
                assertTrue(Float.isFinite(x), "non-finite parameter " + x);
            }
        }
    }

    private static Map<String, String[]> textColumns(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] lat = new String[n];
        String[] lon = new String[n];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble();
            double b = r.nextDouble();
            lat[i] = Double.toString(a);
            lon[i] = Double.toString(b);
            y[i] = Double.toString(a - b + 0.1 * r.nextGaussian());
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("lat", lat);
        cols.put("lon", lon);
        cols.put("y", y);
        return cols;
    }

    private static ModelSpec spatialSpec(List<String> standardize) {
        return new ModelSpec("y", null, null, List.of("lat", "lon"), standardize, List.of(), List.of(),
                List.of(), List.of(), 8, 2, ObservationModel.NORMAL);
    }

    @Test
    void testMapIsDeterministicForTheSameSeed() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        BayesNFModel a = fit(t, spec(), small(Estimator.MAP));
        BayesNFModel b = fit(t, spec(), small(Estimator.MAP));
        assertTrue(Arrays.deepEquals(a.components(), b.components()));
        assertTrue(Arrays.deepEquals(a.losses(), b.losses()));
        BayesNFModel c = fit(t, spec(), small(Estimator.MAP).withSeed(1));
        assertFalse(Arrays.deepEquals(a.components(), c.components()));
        // members of one ensemble differ from each other
        assertFalse(Arrays.equals(a.components()[0], a.components()[1]));
    }

    @Test
    void testMapWithMinibatchesIsDeterministic() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        TrainConfig c = small(Estimator.MAP).withBatch(16);
        BayesNFModel a = fit(t, spec(), c);
        BayesNFModel b = fit(t, spec(), c);
        assertTrue(Arrays.deepEquals(a.components(), b.components()));
        assertFalse(Arrays.deepEquals(a.components(), fit(t, spec(), c.withSeed(9)).components()));
    }

    @Test
    void testViIsDeterministicForTheSameSeed() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        TrainConfig c = small(Estimator.VI).withBatch(20);
        BayesNFModel a = fit(t, spec(), c);
        BayesNFModel b = fit(t, spec(), c);
        assertTrue(Arrays.deepEquals(a.components(), b.components()));
        assertTrue(Arrays.deepEquals(a.losses(), b.losses()));
        BayesNFModel d = fit(t, spec(), c.withSeed(5));
        assertFalse(Arrays.deepEquals(a.components(), d.components()));
        assertAllFinite(a.components());
    }

    @Test
    void testMultiThreadedFitIsDeterministicForTheSameThreadCount() {
        DataTable t = ModelFileTest.syntheticTable(200, 4);
        TrainConfig c = small(Estimator.MAP).withThreads(3); // 2 members x 2 row chunks
        BayesNFModel a = fit(t, spec(), c);
        BayesNFModel b = fit(t, spec(), c);
        assertTrue(Arrays.deepEquals(a.components(), b.components()));
    }

    @Test
    void testListenerCancellationStopsTheFit() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        List<Integer> epochs = new ArrayList<>();
        TrainingListener cancelAfterTwo = new TrainingListener() {
            @Override
            public void epoch(int epoch, int total, double loss) {
                assertEquals(10, total);
                assertTrue(Double.isFinite(loss));
                epochs.add(epoch);
            }

            @Override
            public boolean isCancelled() {
                return epochs.size() >= 2;
            }
        };
        TrainConfig c = small(Estimator.MAP).withEpochs(10);
        assertThrows(CancellationException.class,
                () -> new BayesNFTrainer(BACKEND).fit(t, spec(), c, cancelAfterTwo));
        assertEquals(List.of(1, 2), epochs);
    }

    @Test
    void testListenerSeesEveryEpoch() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        List<Integer> epochs = new ArrayList<>();
        new BayesNFTrainer(BACKEND).fit(t, spec(), small(Estimator.MAP).withEpochs(4),
                (epoch, total, loss) -> epochs.add(epoch));
        assertEquals(List.of(1, 2, 3, 4), epochs);
    }

    @Test
    void testPredictionIsTheSameOnOneOrManyThreads() {
        DataTable t = new DataTable("spatial", 2, textColumns(50, 11));
        BayesNFModel m = fit(t, spatialSpec(List.of("lat", "lon")), small(Estimator.MAP));
        DataTable many = new DataTable("many", 2, textColumns(3000, 12));
        double[] levels = {0.025, 0.5, 0.975};
        Prediction one = new BayesNFPredictor(BACKEND, 1).predict(m, many, levels);
        Prediction four = new BayesNFPredictor(BACKEND, 4).predict(m, many, levels);
        assertArrayEquals(one.mean(), four.mean());
        for (int j = 0; j < levels.length; j++) {
            assertArrayEquals(one.quantiles()[j], four.quantiles()[j]);
        }
    }

    @Test
    void testPurelySpatialDataTrainsAndPredicts() {
        DataTable t = new DataTable("spatial", 2, textColumns(50, 11));
        for (Estimator e : Estimator.values()) {
            BayesNFModel m = fit(t, spatialSpec(List.of("lat", "lon")), small(e));
            assertFalse(m.layout().hasTime());
            assertAllFinite(m.components());
            assertAllFinite(predictMeans(m, t));
        }
    }

    @Test
    void testSingleTimeTrainsAndPredicts() {
        DataTable base = ModelFileTest.syntheticTable(40, 5);
        Map<String, double[]> cols = new LinkedHashMap<>();
        double[] time = new double[40];
        Arrays.fill(time, 7.0);
        cols.put("t", time);
        cols.put("lat", base.numeric("lat", false));
        cols.put("lon", base.numeric("lon", false));
        cols.put("y", base.numeric("y", false));
        DataTable t = DataTable.ofNumbers("one-time", cols);
        for (Estimator e : Estimator.values()) {
            BayesNFModel m = fit(t, spec(), small(e));
            assertEquals(1.0, m.stats().timeScale(), 0);
            assertEquals(7.0, m.stats().timeMin(), 0);
            assertAllFinite(m.components());
            assertAllFinite(predictMeans(m, t));
        }
    }

    @Test
    void testZeroVarianceStandardizedColumnIsRejected() {
        Map<String, String[]> cols = textColumns(30, 2);
        Arrays.fill(cols.get("lon"), "3.25");
        DataTable t = new DataTable("const.csv", 2, cols);
        DataException e = assertThrows(DataException.class,
                () -> fit(t, spatialSpec(List.of("lat", "lon")), small(Estimator.MAP)));
        assertTrue(e.getMessage().contains("'lon'"), e.getMessage());
        // not standardized: the same column is fine
        assertAllFinite(fit(t, spatialSpec(List.of("lat")), small(Estimator.MAP)).components());
    }

    @Test
    void testNonNumericFeatureIsRejectedWithLineAndColumn() {
        Map<String, String[]> cols = textColumns(30, 2);
        cols.get("lon")[5] = "abc";
        DataTable t = new DataTable("bad.csv", 2, cols);
        for (List<String> standardize : List.of(List.of("lat", "lon"), List.<String>of())) {
            DataException e = assertThrows(DataException.class,
                    () -> fit(t, spatialSpec(standardize), small(Estimator.MAP)));
            assertTrue(e.getMessage().contains("line 7"), e.getMessage());
            assertTrue(e.getMessage().contains("'lon'"), e.getMessage());
            assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
        }
    }

    @Test
    void testNegativeCountIsRejectedForCountModels() {
        Map<String, String[]> cols = textColumns(30, 2);
        for (int i = 0; i < 30; i++) {
            cols.get("y")[i] = Integer.toString(i % 4);
        }
        cols.get("y")[9] = "-1";
        DataTable t = new DataTable("counts.csv", 2, cols);
        ModelSpec nb = new ModelSpec("y", null, null, List.of("lat", "lon"), List.of(), List.of(), List.of(),
                List.of(), List.of(), 4, 1, ObservationModel.NB);
        DataException e = assertThrows(DataException.class, () -> fit(t, nb, small(Estimator.MAP)));
        assertTrue(e.getMessage().contains("line 11"), e.getMessage());
        assertTrue(e.getMessage().contains("'y'"), e.getMessage());
        // the NORMAL likelihood accepts negative values
        assertAllFinite(fit(t, spatialSpec(List.of()), small(Estimator.MAP)).components());
    }

    @Test
    void testRowsWithoutTargetAreIgnored() {
        Map<String, String[]> cols = textColumns(30, 2);
        cols.get("y")[3] = "";
        cols.get("y")[8] = "NA";
        DataTable t = new DataTable("gaps.csv", 2, cols);
        BayesNFModel m = fit(t, spatialSpec(List.of("lat", "lon")), small(Estimator.MAP));
        assertEquals("28", m.provenance().get("training.rows"));
        assertEquals(30, predictMeans(m, t).length);
    }

    @Test
    void testBatchLargerThanRowsIsRejected() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        assertThrows(IllegalArgumentException.class, () -> fit(t, spec(), small(Estimator.MAP).withBatch(61)));
        assertThrows(IllegalArgumentException.class, () -> fit(t, spec(), small(Estimator.VI).withBatch(100)));
    }

    @Test
    void testViComponentCountIsEnsembleTimesPosteriorSamples() {
        DataTable t = ModelFileTest.syntheticTable(60, 3);
        TrainConfig c = new TrainConfig(Estimator.VI, 2, 2, 30, 0.01, 0, 0.1, 2, 4, 1);
        BayesNFModel m = fit(t, spec(), c);
        assertEquals(8, m.componentCount());
        assertEquals(2, m.losses().length);
        assertEquals(2 * 2, m.losses()[0].length); // epochs x floor(60 / 30) steps
        assertAllFinite(m.components());
        // posterior samples differ from each other
        assertFalse(Arrays.equals(m.components()[0], m.components()[2]));
    }

    @Test
    void testMaxLikelihoodLearnsALinearSignal() {
        int n = 100;
        SplittableRandom r = new SplittableRandom(17);
        double[] lat = new double[n];
        double[] lon = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            lat[i] = r.nextGaussian();
            lon[i] = r.nextGaussian();
            y[i] = 2 * lat[i] + 0.1 * r.nextGaussian();
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("lat", lat);
        cols.put("lon", lon);
        cols.put("y", y);
        DataTable t = DataTable.ofNumbers("linear", cols);
        ModelSpec s = new ModelSpec("y", null, null, List.of("lat", "lon"), List.of(), List.of(), List.of(),
                List.of(), List.of(), 16, 1, ObservationModel.NORMAL);
        TrainConfig c = TrainConfig.defaults(Estimator.MLE).withEnsemble(2).withEpochs(200)
                .withLearningRate(0.02).withThreads(1);
        BayesNFModel m = fit(t, s, c);
        double[] pred = predictMeans(m, t);
        double mean = Arrays.stream(y).average().orElseThrow();
        double var = 0;
        double se = 0;
        for (int i = 0; i < n; i++) {
            var += (y[i] - mean) * (y[i] - mean);
            se += (y[i] - pred[i]) * (y[i] - pred[i]);
        }
        double std = Math.sqrt(var / n);
        double rmse = Math.sqrt(se / n);
        assertTrue(rmse < 0.1 * std, "training RMSE " + rmse + " vs std(y) " + std);
        float[][] losses = m.losses();
        for (float[] l : losses) {
            assertTrue(l[l.length - 1] < l[0], "loss did not decrease: " + l[0] + " -> " + l[l.length - 1]);
        }
    }
}
