package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bayesnf.core.compute.NetworkWorkspace;
import org.junit.jupiter.api.Test;

/**
 * Fourier features (spec §3.2): cos(2π 2^d z)/(d+1) for d &lt; K, then the sines, on the scaled
 * input z = x / (c e^a).
 *
 * <p>The network's feature vector h⁰ is internal, so the second half of this test reads it back
 * through the public {@link NetworkWorkspace}: with a width-1, depth-1 network whose only non-zero
 * weight selects input feature j, α = sigmoid(λ) = 1 (pure ELU, which is invertible) and unit
 * output weight, the output f determines h⁰_j exactly.
 */
final class FourierFeatureTest {
    private static final double[] SPEC_COS = {-0.309017, -0.404508, 0.103006, -0.202254, 0.061803};
    private static final double[] SPEC_SIN = {0.951057, -0.293893, 0.317019, 0.146946, -0.190211};

    /** The documented formula, for the spec's example. */
    private static double[] fourier(double z, int k) {
        double[] out = new double[2 * k];
        for (int d = 0; d < k; d++) {
            double ang = 2 * Math.PI * Math.pow(2, d) * z;
            out[d] = Math.cos(ang) / (d + 1);
            out[k + d] = Math.sin(ang) / (d + 1);
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = new double[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Reads feature j of h⁰ (before the group scale) for input x from a one-column network with
     * Fourier degree 5: 11 input features (z, 5 cosines, 5 sines).
     */
    private static double networkFeature(FeatureLayout layout, float x, float a, int j) {
        int p = layout.parameterCount();
        float[] theta = new float[p];
        theta[layout.aOffset()] = a;
        // γ = 0 for both groups (linear, Fourier): group scale softplus(0)
        theta[layout.lambdaOffset()] = 40f; // α = sigmoid(40) = 1 in float
        theta[layout.weightOffset(0) + j] = 1f; // width 1: W_0[j][0]
        theta[layout.outWeightOffset()] = 1f;
        NetworkWorkspace ws = new NetworkWorkspace(layout);
        ws.load(theta);
        float[] out = new float[1];
        ws.forward(new float[][] {{x}}, new float[][] {new float[0]}, 0, 1, out);
        double sp0 = NeuralFieldMath.softplus(0f);
        double h1 = out[0] / sp0; // f = softplus(ρ_out) * (h1 * W_out / sqrt(1) + 0)
        double pre = h1 > 0 ? h1 : Math.log1p(h1); // invert ELU
        double u = pre / sp0; // p = softplus(ρ_0) * u
        return u * Math.sqrt(layout.inputWidth()) / sp0; // u = (sp(γ) h⁰_j) / sqrt(F_in)
    }

    @Test
    void testDocumentedFormulaGivesSpecExample() {
        double[] f = fourier(0.3, 5);
        assertArrayEquals(concat(SPEC_COS, SPEC_SIN), f, 1e-6);
    }

    @Test
    void testLayoutOfOneFourierColumn() {
        FeatureLayout layout = new FeatureLayout(1, false, 1, new int[] {5}, new double[0], new int[0],
                new int[0][], 1, 1);
        assertEquals(11, layout.inputWidth());
        assertEquals(2, layout.groupCount());
        assertEquals(FeatureLayout.GROUP_FOURIER, layout.groupKind(1));
        assertEquals(1, layout.groupStart(1));
        assertEquals(10, layout.groupLength(1));
        // ν κ ζ, a, γ0 γ1, λ, W_0 (11), b_0, ρ_0, W_out, b_out, ρ_out
        assertEquals(3 + 1 + 2 + 1 + 11 + 1 + 1 + 1 + 1 + 1, layout.parameterCount());
    }

    @Test
    void testNetworkFourierFeaturesMatchSpecExample() {
        FeatureLayout layout = new FeatureLayout(1, false, 1, new int[] {5}, new double[0], new int[0],
                new int[0][], 1, 1);
        double[] expected = concat(new double[] {0.3}, concat(SPEC_COS, SPEC_SIN));
        double[] actual = new double[11];
        for (int j = 0; j < 11; j++) {
            actual[j] = networkFeature(layout, 0.3f, 0f, j);
        }
        assertArrayEquals(expected, actual, 2e-5);
    }

    @Test
    void testNetworkFourierFeaturesUseTheScaledInput() {
        // z = x / (c e^a): time column with scale 10, x = 6, a = log 2 -> z = 0.3
        FeatureLayout layout = new FeatureLayout(1, true, 10, new int[] {5}, new double[0], new int[0],
                new int[0][], 1, 1);
        double[] expected = concat(new double[] {0.3}, concat(SPEC_COS, SPEC_SIN));
        double[] actual = new double[11];
        for (int j = 0; j < 11; j++) {
            actual[j] = networkFeature(layout, 6f, (float) Math.log(2), j);
        }
        assertArrayEquals(expected, actual, 5e-5);
        // and a different z gives the documented formula's values too
        double[] other = concat(new double[] {-0.137}, fourier(-0.137, 5));
        FeatureLayout plain = new FeatureLayout(1, false, 1, new int[] {5}, new double[0], new int[0],
                new int[0][], 1, 1);
        for (int j = 0; j < 11; j++) {
            assertEquals(other[j], networkFeature(plain, -0.137f, 0f, j), 2e-5, "feature " + j);
        }
    }
}
