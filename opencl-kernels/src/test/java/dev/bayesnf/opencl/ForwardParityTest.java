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
        System.out.printf("forward parity: worst |df|/(1+|f|) = %.3g%n", worst);
    }

    @Test
    void testForwardInSeveralChunksMatchesOneChunk() {
        OpenClBackend cl = OpenClAssumptions.backend();
        FeatureLayout layout = NetworkFixtures.layout(16, 2);
        TrainingData data = NetworkFixtures.data(layout, ObservationModel.NORMAL, 301, 9);
        float[][] params = {NetworkFixtures.params(layout, 5), NetworkFixtures.params(layout, 6)};
        float[][] whole;
        float[][] chunked;
        try (DeviceNetwork one = new DeviceNetwork(cl.requireDevice(), layout, 2, ObservationModel.NORMAL, 0,
                data.x(), data.seasonal(), null, false, DeviceNetwork.DEFAULT_MAX_ACTIVATION_FLOATS)) {
            one.putState(params, false);
            whole = one.forwardAll();
            assertTrue(one.kernel().isRunningCL(), "kernel ran in Java thread pool, not OpenCL");
        }
        // an activation cap of 2 members x 50 rows forces 7 chunks
        long cap = 2L * 50 * (layout.inputWidth() + 2L * 2 * 16);
        try (DeviceNetwork many = new DeviceNetwork(cl.requireDevice(), layout, 2, ObservationModel.NORMAL, 0,
                data.x(), data.seasonal(), null, false, cap)) {
            assertEquals(50, many.chunkRows());
            many.putState(params, false);
            chunked = many.forwardAll();
            assertTrue(many.kernel().isRunningCL(), "kernel ran in Java thread pool, not OpenCL");
        }
        for (int k = 0; k < 2; k++) {
            for (int r = 0; r < data.rows(); r++) {
                assertEquals(whole[k][r], chunked[k][r], 1e-6 * (1 + Math.abs(whole[k][r])), "row " + r);
            }
        }
    }
}
