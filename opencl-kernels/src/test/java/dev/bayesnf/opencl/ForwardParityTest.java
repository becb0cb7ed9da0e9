package dev.bayesnf.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.JavaBackend;
import dev.bayesnf.core.compute.TrainingData;
import org.junit.jupiter.api.Test;

/**
 * Prediction kernel against the plain-Java backend: per-component network outputs f[k][row].
 *
 * <p>Tolerance: |Δf| ≤ 1e-4·(1 + |f|). Both backends compute in float32 with different summation
 * orders (tiled dot products of length F_in and W ≤ 64 here) and different exp/cos/sin
 * implementations (OpenCL float functions, ≤ 4 ulp, against Java's double ones rounded once); with
 * activations of order 1 this moves f by a few 1e-6, so 1e-4 leaves a wide margin while still
 * catching any indexing or formula error (which moves f by order 1).
 */
final class ForwardParityTest {

    @Test
    void testForwardMatchesJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(40, 3);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, 333, 7);
        float[][] params = new float[3][];
        for (int k = 0; k < params.length; k++) {
            params[k] = NetworkFixtures.params(layout, 100 + k);
        }
        System.out.printf("forward parity: worst |df|/(1+|f|) = %.3g%n", assertMatchesJava(cl, layout, params, data));
    }

    /** Asserts the OpenCL outputs within the tolerance above of the Java backend's; the worst relative difference. */
    private static double assertMatchesJava(OpenClBackend cl, FeatureLayout layout, float[][] params, TrainingData data) {
        float[][] expected = new JavaBackend().forward(layout, params, data.x(), data.seasonal(), 1);
        float[][] actual = cl.forward(layout, params, data.x(), data.seasonal(), 0);
        double worst = 0;
        for (int k = 0; k < params.length; k++) {
            for (int r = 0; r < data.rows(); r++) {
                double e = expected[k][r];
                double err = Math.abs(actual[k][r] - e) / (1 + Math.abs(e));
                worst = Math.max(worst, err);
                assertEquals(e, actual[k][r], 1e-4 * (1 + Math.abs(e)), "member " + k + " row " + r);
            }
        }
        return worst;
    }

    @Test
    void testForwardWithoutSeasonsMatchesJavaBackend() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layoutWithoutSeasons(16, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, 97, 5);
        float[][] params = {NetworkFixtures.params(layout, 1), NetworkFixtures.params(layout, 2)};
        assertMatchesJava(cl, layout, params, data);
    }

    @Test
    void testForwardInSeveralChunksMatchesOneChunk() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, 301, 9);
        float[][] params = {NetworkFixtures.params(layout, 5), NetworkFixtures.params(layout, 6)};
        float[][] whole;
        float[][] chunked;
        try (DeviceNetwork one = DeviceNetwork.forPrediction(cl.requireDevice(), layout, 2, data.rows(),
                DeviceNetwork.DEFAULT_MAX_ACTIVATION_FLOATS)) {
            one.putState(params, false);
            one.loadRows(data.x(), data.seasonal());
            whole = one.forwardAll();
            assertTrue(one.kernel().isRunningCL(), "kernel ran in Java thread pool, not OpenCL");
        }
        // an activation cap of 2 members x 50 rows forces 7 chunks
        long cap = 2L * 50 * (layout.inputWidth() + 2L * 2 * 16);
        try (DeviceNetwork many = DeviceNetwork.forPrediction(cl.requireDevice(), layout, 2, data.rows(), cap)) {
            assertEquals(50, many.chunkRows());
            many.putState(params, false);
            many.loadRows(data.x(), data.seasonal());
            chunked = many.forwardAll();
            assertTrue(many.kernel().isRunningCL(), "kernel ran in Java thread pool, not OpenCL");
        }
        for (int k = 0; k < 2; k++) {
            for (int r = 0; r < data.rows(); r++) {
                assertEquals(whole[k][r], chunked[k][r], 1e-6 * (1 + Math.abs(whole[k][r])), "row " + r);
            }
        }
    }

    /**
     * One prediction session over calls of different sizes (a larger one rebuilds the network,
     * smaller ones reuse it with rows and seasonal rows left from before) gives what a fresh
     * network gives for each call, to the bit.
     */
    @Test
    void testSessionOverManyCallsMatchesFreshNetworks() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 2);
        TrainingData big = NetworkFixtures.data(layout, ObservationModel.NORMAL, 301, 11);
        TrainingData small = NetworkFixtures.data(layout, ObservationModel.NORMAL, 57, 12);
        float[][] params = {NetworkFixtures.params(layout, 7), NetworkFixtures.params(layout, 8)};
        double[] levels = {0.05, 0.5, 0.95};
        TrainingData[] calls = {small, big, small, big};
        try (dev.bayesnf.core.compute.PredictionSession session = cl.openPrediction(layout, params, 0)) {
            for (int c = 0; c < calls.length; c++) {
                TrainingData d = calls[c];
                float[][] f = session.forward(d.x(), d.seasonal());
                float[][] fresh = cl.forward(layout, params, d.x(), d.seasonal(), 0);
                float[][] sum = session.summarize(ObservationModel.NORMAL, d.x(), d.seasonal(), levels);
                float[][] freshSum = cl.summarize(ObservationModel.NORMAL, layout, params, d.x(), d.seasonal(),
                        levels, 0);
                for (int k = 0; k < params.length; k++) {
                    assertEquals(d.rows(), f[k].length);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(fresh[k], f[k], "call " + c + " member " + k);
                }
                for (int j = 0; j < sum.length; j++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(freshSum[j], sum[j], "call " + c + " row " + j);
                }
            }
            assertEquals(0, session.forward(new float[0][], new float[0][])[0].length);
        }
    }

    /**
     * A session whose network was rebuilt for a call smaller than its new capacity (100 rows, then
     * 150 in a network of 200) takes a later call up to that capacity (200 rows): the batch
     * upload's row bit set covers the table's capacity, not the rows of the network's first call.
     */
    @Test
    void testSessionTakesCallUpToCapacityAfterSmallerOne() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 2);
        float[][] params = {NetworkFixtures.params(layout, 9), NetworkFixtures.params(layout, 10)};
        int[] sizes = {100, 150, 200};
        try (dev.bayesnf.core.compute.PredictionSession session = cl.openPrediction(layout, params, 0)) {
            for (int c = 0; c < sizes.length; c++) {
                TrainingData d = NetworkFixtures.data(layout, ObservationModel.NORMAL, sizes[c], 20 + c);
                float[][] f = session.forward(d.x(), d.seasonal());
                float[][] fresh = cl.forward(layout, params, d.x(), d.seasonal(), 0);
                for (int k = 0; k < params.length; k++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(fresh[k], f[k], "call " + c + " member " + k);
                }
            }
        }
    }
}
