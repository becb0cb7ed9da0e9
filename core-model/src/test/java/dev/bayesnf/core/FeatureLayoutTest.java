package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Seasonal frequencies, input widths and parameter count (spec §3.3, §3.5, §4.3). */
final class FeatureLayoutTest {
    private static final int[][] NO_PAIRS = new int[0][];

    private static FeatureLayout.Seasonal chickenpoxSeasonal() {
        return FeatureLayout.seasonalFrequencies(new double[] {209.0 / 48.0, 52.25}, new int[] {2, 10});
    }

    private static int inputWidth(int d, double[] periods, int[] harmonics, int[][] pairs) {
        FeatureLayout.Seasonal s = FeatureLayout.seasonalFrequencies(periods, harmonics);
        int[] fourier = new int[d];
        java.util.Arrays.fill(fourier, 5);
        return new FeatureLayout(d, true, 100, fourier, s.frequencies(), s.harmonics(), pairs, 4, 1)
                .inputWidth();
    }

    @Test
    void testChickenpoxSeasonalFrequenciesMatchSpec() {
        FeatureLayout.Seasonal s = chickenpoxSeasonal();
        double[] expected = {0.229665, 0.459330, 0.019139, 0.038278, 0.057416, 0.076555, 0.095694,
            0.114833, 0.133971, 0.153110, 0.172249, 0.191388};
        assertArrayEquals(expected, s.frequencies(), 1e-5);
        assertArrayEquals(new int[] {1, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, s.harmonics());
    }

    @Test
    void testDuplicateFrequenciesKeepFirstOccurrence() {
        FeatureLayout.Seasonal s = FeatureLayout.seasonalFrequencies(new double[] {12, 6}, new int[] {6, 3});
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, s.harmonics());
        double[] f = s.frequencies();
        assertEquals(6, f.length);
        for (int h = 1; h <= 6; h++) {
            assertEquals(h / 12.0, f[h - 1], 1e-15);
        }
    }

    @Test
    void testDuplicateDetectionKeepsTheOrderOfFirstOccurrence() {
        // p = 6 first: 1/6, 2/6, 3/6 are kept with their harmonic numbers, then the new 1/12, 3/12, 5/12.
        FeatureLayout.Seasonal s = FeatureLayout.seasonalFrequencies(new double[] {6, 12}, new int[] {3, 6});
        assertArrayEquals(new int[] {1, 2, 3, 1, 3, 5}, s.harmonics());
        assertArrayEquals(new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0, 1 / 12.0, 3 / 12.0, 5 / 12.0},
                s.frequencies(), 1e-15);
    }

    @Test
    void testHarmonicsAboveHalfPeriodAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> FeatureLayout.seasonalFrequencies(new double[] {12}, new int[] {7}));
        assertThrows(IllegalArgumentException.class,
                () -> FeatureLayout.seasonalFrequencies(new double[] {4.354166666666667}, new int[] {3}));
        // exactly half is allowed
        assertEquals(6, FeatureLayout.seasonalFrequencies(new double[] {12}, new int[] {6}).frequencies().length);
    }

    @Test
    void testMismatchedLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> FeatureLayout.seasonalFrequencies(new double[] {12, 6}, new int[] {6}));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureLayout(1, false, 1, new int[] {5}, new double[] {0.1, 0.2}, new int[] {1}, NO_PAIRS, 4, 1));
    }

    @Test
    void testEmptySeasonalityGivesNoFeatures() {
        FeatureLayout.Seasonal s = FeatureLayout.seasonalFrequencies(new double[0], new int[0]);
        assertEquals(0, s.frequencies().length);
        assertEquals(0, s.harmonics().length);
    }

    @Test
    void testInputWidthsOfTheSpecConfigurations() {
        FeatureLayout.Seasonal cp = chickenpoxSeasonal();
        assertEquals(12, cp.frequencies().length);
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
        assertEquals(60, inputWidth(3, new double[] {209.0 / 48.0, 52.25}, new int[] {2, 10}, pairs));
        assertEquals(57, inputWidth(3, new double[] {4, 52.1775}, new int[] {2, 10}, NO_PAIRS));
        assertEquals(49, inputWidth(3, new double[] {24, 168}, new int[] {4, 4}, NO_PAIRS));
        FeatureLayout.Seasonal wind = FeatureLayout.seasonalFrequencies(
                new double[] {7, 30.4375, 365.25}, new int[] {3, 10, 10});
        assertEquals(23, wind.frequencies().length);
        assertEquals(79, inputWidth(3, new double[] {7, 30.4375, 365.25}, new int[] {3, 10, 10}, NO_PAIRS));
        assertEquals(45, inputWidth(3, new double[] {12}, new int[] {6}, NO_PAIRS));
        assertEquals(56, inputWidth(4, new double[] {12}, new int[] {6}, NO_PAIRS));
    }

    @Test
    void testFourierDegreeZeroSkipsTheColumn() {
        FeatureLayout l = new FeatureLayout(3, true, 10, new int[] {2, 0, 3}, new double[0], new int[0],
                NO_PAIRS, 4, 1);
        assertEquals(3 + 4 + 6, l.inputWidth());
        assertEquals(3, l.groupCount());
        assertEquals(FeatureLayout.GROUP_FOURIER, l.groupKind(1));
        assertEquals(0, l.groupColumn(1));
        assertEquals(2, l.groupColumn(2));
        assertEquals(7, l.groupStart(2));
    }

    @Test
    void testTutorialParameterCountIs81681() {
        FeatureLayout.Seasonal s = chickenpoxSeasonal();
        FeatureLayout l = new FeatureLayout(3, true, 100, new int[] {5, 5, 5}, s.frequencies(), s.harmonics(),
                new int[][] {{0, 1}, {0, 2}, {1, 2}}, 256, 2);
        assertEquals(60, l.inputWidth());
        assertEquals(6, l.groupCount());
        assertEquals(81_681, l.parameterCount());
    }

    @Test
    void testParameterOffsetsAreContiguous() {
        FeatureLayout.Seasonal s = chickenpoxSeasonal();
        FeatureLayout l = new FeatureLayout(3, true, 100, new int[] {5, 5, 5}, s.frequencies(), s.harmonics(),
                new int[][] {{0, 1}, {0, 2}, {1, 2}}, 7, 3);
        assertEquals(3, l.aOffset());
        assertEquals(6, l.gammaOffset());
        assertEquals(12, l.lambdaOffset());
        assertEquals(13, l.weightOffset(0));
        assertEquals(13 + 60 * 7, l.biasOffset(0));
        assertEquals(l.biasOffset(0) + 7, l.rhoOffset(0));
        assertEquals(l.rhoOffset(0) + 1, l.weightOffset(1));
        assertEquals(l.weightOffset(1) + 49, l.biasOffset(1));
        assertEquals(l.rhoOffset(2) + 1, l.outWeightOffset());
        assertEquals(l.outWeightOffset() + 7, l.outBiasOffset());
        assertEquals(l.outBiasOffset() + 1, l.outRhoOffset());
        assertEquals(l.outRhoOffset() + 1, l.parameterCount());
        int kernels = 0;
        for (int e = 0; e < l.parameterCount(); e++) {
            if (l.isKernel(e)) {
                kernels++;
            }
        }
        assertEquals(60 * 7 + 2 * 49 + 7, kernels);
    }

    @Test
    void testSeasonalFeaturesWriteCosinesThenSinesOverHarmonic() {
        FeatureLayout l = new FeatureLayout(1, true, 100, new int[] {0}, new double[] {1 / 12.0, 2 / 12.0, 1 / 7.0},
                new int[] {1, 2, 1}, NO_PAIRS, 2, 1);
        assertEquals(6, l.seasonalWidth());
        double t = 5;
        float[] out = new float[8];
        out[0] = 42f;
        out[7] = -42f;
        l.seasonalFeatures(t, out, 1);
        assertEquals(42f, out[0]);
        assertEquals(-42f, out[7]);
        assertEquals(Math.cos(2 * Math.PI * t / 12), out[1], 1e-6);
        assertEquals(Math.cos(2 * Math.PI * 2 * t / 12) / 2, out[2], 1e-6);
        assertEquals(Math.cos(2 * Math.PI * t / 7), out[3], 1e-6);
        assertEquals(Math.sin(2 * Math.PI * t / 12), out[4], 1e-6);
        assertEquals(Math.sin(2 * Math.PI * 2 * t / 12) / 2, out[5], 1e-6);
        assertEquals(Math.sin(2 * Math.PI * t / 7), out[6], 1e-6);
        // concrete values: t = 5, p = 12: cos(150°) = -0.866025, sin(150°) = 0.5
        assertEquals(-0.8660254, out[1], 1e-6);
        assertEquals(0.5, out[4], 1e-6);
    }

    @Test
    void testSeasonalFeaturesAtOffsetZero() {
        FeatureLayout.Seasonal s = FeatureLayout.seasonalFrequencies(new double[] {12}, new int[] {3});
        FeatureLayout l = new FeatureLayout(1, true, 100, new int[] {5}, s.frequencies(), s.harmonics(), NO_PAIRS, 2, 1);
        float[] out = new float[6];
        l.seasonalFeatures(3, out, 0);
        // t = 3: phases 90°, 180°, 270°
        assertArrayEquals(new float[] {0f, -0.5f, 0f, 1f, 0f, -1f / 3}, out, 1e-6f);
    }

    @Test
    void testInvalidInteractionIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureLayout(2, false, 1, new int[] {1, 1}, new double[0], new int[0],
                        new int[][] {{0, 2}}, 4, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureLayout(2, false, 1, new int[] {1}, new double[0], new int[0], NO_PAIRS, 4, 1));
    }
}
